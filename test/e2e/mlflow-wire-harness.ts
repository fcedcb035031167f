// Replaying MLflow client requests (fixtures/mlflow-client-requests.ts) against `mlops server`:
// placeholders, sending as Python's `requests` does, checking the fields the client reads.
import { join } from 'node:path';
import { expect } from 'vitest';
import { tempWorkspace } from './cli-harness.js';
import { startCli, until, type CliProcess } from './process-harness.js';
import {
  ERROR_READS,
  type ClientProfile,
  type FieldType,
  type Json,
  type Read,
  type WireOp,
  type WireRequest,
} from './fixtures/mlflow-client-requests.js';

// ---- filling placeholders --------------------------------------------------------------------

export type Vars = Readonly<Record<string, Json | undefined>>;

const WHOLE = /^\{\{(\w+)\}\}$/;
const PART = /\{\{(\w+)\}\}/g;

function fillString(s: string, vars: Vars): string {
  return s.replace(PART, (_m, name: string) => {
    const v = vars[name];
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw new Error(`fixture placeholder {{${name}}} inside "${s}" needs a string or number`);
    }
    return String(v);
  });
}

/**
 * Replaces placeholders: a string that is exactly `{{x}}` takes vars.x with its own JSON type
 * (left out when undefined, as protobuf leaves out unset fields); `{{x}}` inside a longer string
 * is substituted as text.
 */
export function fill(value: Json, vars: Vars): Json | undefined {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    return whole ? vars[whole[1] as string] : fillString(value, vars);
  }
  if (Array.isArray(value)) {
    return value.map((v) => fill(v, vars)).filter((v): v is Json => v !== undefined);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      const filled = fill(v, vars);
      if (filled !== undefined) out[k] = filled;
    }
    return out;
  }
  return value;
}

// ---- checking what the client reads ----------------------------------------------------------

const ENUMS: Partial<Record<FieldType, readonly string[]>> = {
  RunStatus: ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'],
  LifecycleStage: ['active', 'deleted'],
  LoggedModelStatus: [
    'LOGGED_MODEL_STATUS_UNSPECIFIED',
    'LOGGED_MODEL_PENDING',
    'LOGGED_MODEL_READY',
    'LOGGED_MODEL_UPLOAD_FAILED',
  ],
};

function typeProblem(v: unknown, type: FieldType): string | undefined {
  const ok =
    type === 'id'
      ? typeof v === 'string' && v !== ''
      : type === 'string'
        ? typeof v === 'string'
        : type === 'int'
          ? typeof v === 'number' && Number.isInteger(v)
          : type === 'double'
            ? typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity'
            : type === 'bool'
              ? typeof v === 'boolean'
              : (ENUMS[type] ?? []).includes(v as string);
  return ok ? undefined : `expected ${type}, got ${JSON.stringify(v)}`;
}

function walk(v: unknown, segs: readonly string[], type: FieldType, at: string, out: string[]) {
  const [seg, ...rest] = segs;
  if (seg === undefined) {
    const why = typeProblem(v, type);
    if (why) out.push(`${at}: ${why}`);
    return;
  }
  const m = /^(\w+)(\?)?(\[\])?$/.exec(seg);
  if (!m) throw new Error(`bad read segment "${seg}"`);
  const [, name = '', optional, isArray] = m;
  const here = at ? `${at}.${name}` : name;
  const child =
    v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[name] : undefined;
  const empty =
    child === undefined || child === null || (isArray && Array.isArray(child) && !child.length);
  if (empty) {
    if (!optional)
      out.push(`${here}: missing${isArray ? ' or empty' : ''} (${JSON.stringify(child)})`);
    return;
  }
  if (!isArray) return walk(child, rest, type, here, out);
  if (!Array.isArray(child)) return void out.push(`${here}: expected an array`);
  child.forEach((el, i) => walk(el, rest, type, `${here}[${i}]`, out));
}

/** Every problem with `body` against the client's reads (empty when the client would be happy). */
export function checkReads(body: unknown, reads: readonly Read[]): string[] {
  const out: string[] = [];
  for (const read of reads) {
    const cut = read.lastIndexOf(':');
    walk(body, read.slice(0, cut).split('.'), read.slice(cut + 1) as FieldType, '', out);
  }
  return out;
}

// ---- replaying against a server -------------------------------------------------------------

export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  /** The parsed body when it is JSON, else undefined. */
  readonly json: unknown;
}

/** Sends `op` (placeholders filled from `vars`) the way the Python client would. */
export async function send(
  baseUrl: string,
  profile: ClientProfile,
  op: WireOp,
  vars: Vars = {},
  raw?: WireRequest['raw'],
): Promise<Reply> {
  const req = op.request;
  const url = new URL(encodeURI(fillString(req.path, vars)), baseUrl);
  for (const [k, v] of Object.entries(req.query ?? {})) {
    for (const one of typeof v === 'string' ? [v] : v) {
      const filled = fill(one, vars);
      if (filled !== undefined) url.searchParams.append(k, String(filled));
    }
  }
  const headers: Record<string, string> = { ...profile.headers, ...req.headers };
  const init: RequestInit = { method: req.method, headers };
  const upload = raw ?? req.raw;
  if (upload) {
    headers['Content-Type'] = upload.contentType;
    init.body = upload.bytes.slice(); // a copy on its own ArrayBuffer
  } else if (req.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(fill(req.body, vars) ?? {});
  }
  const res = await fetch(url, init);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const contentType = res.headers.get('content-type') ?? '';
  let json: unknown;
  if (contentType.includes('json')) {
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, contentType, bytes, json };
}

/** A 200 JSON-object reply that carries every field in `reads`; returns the body as `T`. */
export function expectOk<T>(reply: Reply, reads: readonly Read[]): T {
  const text = new TextDecoder().decode(reply.bytes).slice(0, 2000);
  expect(reply.status, `status (body: ${text})`).toBe(200);
  expect(reply.contentType, 'content-type').toMatch(/^application\/json/);
  const isObject =
    reply.json !== null && typeof reply.json === 'object' && !Array.isArray(reply.json);
  expect(isObject, `a JSON object body, got: ${text}`).toBe(true);
  expect(checkReads(reply.json, reads), `fields the client reads, in ${text}`).toEqual([]);
  return reply.json as T;
}

/** MLflow's error reply: `status` and `{error_code, message}`. */
export function expectError(reply: Reply, status: number, errorCode: string): void {
  const text = new TextDecoder().decode(reply.bytes).slice(0, 2000);
  expect(reply.status, `status (body: ${text})`).toBe(status);
  expect(checkReads(reply.json, ERROR_READS), `error body ${text}`).toEqual([]);
  expect((reply.json as { error_code: string }).error_code).toBe(errorCode);
}

// ---- response shapes the tests look into (after checkReads vouched for them) -----------------

export interface KeyValue {
  key: string;
  value: string;
}
export interface MetricJson {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
  model_id?: string;
}
export interface RunInfoJson {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: string;
}
export interface RunJson {
  info: RunInfoJson;
  data?: { metrics?: MetricJson[]; params?: KeyValue[]; tags?: KeyValue[] };
  outputs?: { model_outputs?: { model_id: string; step: number }[] };
}
export interface FileJson {
  path: string;
  is_dir: boolean;
  file_size?: number;
}
export interface LoggedModelJson {
  info: {
    model_id: string;
    experiment_id: string;
    name: string;
    artifact_uri: string;
    status: string;
    source_run_id?: string;
    creation_timestamp_ms: number;
    last_updated_timestamp_ms: number;
    tags?: KeyValue[];
  };
  data?: { params?: KeyValue[]; metrics?: MetricJson[] };
}

/** `[{key, value}]` as a plain object. */
export const asMap = (kvs: readonly KeyValue[] | undefined): Record<string, string> =>
  Object.fromEntries((kvs ?? []).map((kv) => [kv.key, kv.value]));

// ---- the server under test ------------------------------------------------------------------

export interface RunningServer {
  readonly url: string;
  readonly proc: CliProcess;
  /** SIGTERM, wait (10 s, then SIGKILL), remove the temporary directory; returns how it ended. */
  stop(): Promise<CliProcess['exit']>;
}

/** `mlops server` on a free port over a fresh SQLite file and artifact directory. */
export async function startServer(): Promise<RunningServer> {
  const { dir, cleanup } = await tempWorkspace();
  const proc = startCli(
    [
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--backend-store-uri',
      `sqlite:${join(dir, 'mlops.db')}`,
      '--artifacts-destination',
      join(dir, 'artifacts'),
    ],
    dir,
    { MLOPS_TRACKING_URI: '', MLOPS_ARTIFACT_URI: '' },
  );
  const listening = () => /Listening on (http:\/\/\S+)/.exec(proc.stdout)?.[1];
  await until(
    () => listening() !== undefined || proc.exit !== undefined,
    () => `"Listening on" from mlops server (stdout: ${proc.stdout}; stderr: ${proc.stderr})`,
  );
  const url = listening();
  if (url === undefined) {
    await cleanup();
    throw new Error(`mlops server exited ${JSON.stringify(proc.exit)}: ${proc.stderr}`);
  }
  return {
    url: url.replace(/\/$/, ''),
    proc,
    async stop() {
      if (proc.exit === undefined) {
        proc.child.kill('SIGTERM');
        const timer = new Promise((r) => setTimeout(r, 10_000));
        await Promise.race([proc.exited, timer]);
        if (proc.exit === undefined) proc.child.kill('SIGKILL');
        await proc.exited;
      }
      await cleanup();
      return proc.exit;
    },
  };
}
