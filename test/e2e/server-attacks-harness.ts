// Helpers for server-attacks-*.test.ts: an in-process `mlops server` over a temp directory that
// also holds a planted secret, raw HTTP requests whose bytes reach the server exactly as written
// (fetch normalizes `..` and cannot set Host), a file-system snapshot to prove nothing was written
// outside the store, and an HTTP listener that records any request the server might make (SSRF).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest, createServer, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/index.js';

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RawOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/**
 * One request with `path` sent byte for byte (node:http only refuses control characters and
 * spaces; see `rawSocket` for those). A `host` header in `options.headers` replaces the real one.
 */
export function raw(url: string, path: string, options: RawOptions = {}): Promise<Reply> {
  const { hostname, port } = new URL(url);
  const body = options.body;
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: options.method ?? 'GET',
        path,
        headers: {
          ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
          ...options.headers,
        },
        agent: false,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('error', reject);
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Bytes straight onto a socket (NUL or other bytes node:http refuses); the reply's raw text. */
export function rawSocket(url: string, bytes: Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(bytes));
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    // The server may answer and close before all bytes are written (a 413): keep its answer.
    socket.on('error', (err) => (parts.length > 0 ? undefined : reject(err)));
    socket.on('close', () => resolvePromise(Buffer.concat(parts).toString('latin1')));
  });
}

/** JSON request through `raw` (so Host/Origin may be set). */
export function json(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return raw(url, path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** The parsed JSON body of a reply with `status`. */
export function ok<T = Record<string, unknown>>(reply: Reply, status = 200): T {
  expect(reply.status, reply.body).toBe(status);
  return JSON.parse(reply.body) as T;
}

/** A refusal: one of `statuses`, as MLflow's `{error_code, message}` JSON (with `code` if given). */
export function refused(reply: Reply, statuses: readonly number[], code?: string): void {
  expect(statuses, `${reply.status} ${reply.body}`).toContain(reply.status);
  expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
  const parsed = JSON.parse(reply.body) as { error_code?: unknown; message?: unknown };
  expect(typeof parsed.error_code, reply.body).toBe('string');
  expect(typeof parsed.message, reply.body).toBe('string');
  if (code !== undefined) expect(parsed.error_code, reply.body).toBe(code);
}

export interface AttackBed {
  /** The temp directory: db.sqlite, blobs/ and the planted secret.txt. */
  readonly dir: string;
  readonly blobs: string;
  readonly dbUri: string;
  readonly secretPath: string;
  /** Random text in secret.txt; must never appear in any response. */
  readonly secret: string;
  readonly server: RunningServer;
  readonly url: string;
  close(): Promise<void>;
}

/** A server over a fresh temp directory with `secret.txt` planted next to the store. */
export async function attackBed(
  options: Pick<ServerOptions, 'auth' | 'defaultPermission'> = {},
): Promise<AttackBed> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-attacks-'));
  const blobs = join(dir, 'blobs');
  await mkdir(blobs);
  const secret = `TOP-SECRET-${randomBytes(12).toString('hex')}`;
  const secretPath = join(dir, 'secret.txt');
  await writeFile(secretPath, `${secret}\n`);
  const dbUri = `sqlite:${join(dir, 'db.sqlite')}`;
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    backendStoreUri: dbUri,
    artifactsDestination: blobs,
    cwd: dir,
    warn: () => {},
    ...options,
  });
  return {
    dir,
    blobs,
    dbUri,
    secretPath,
    secret,
    server,
    url: server.url,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Every file under `dir` but the database's (and those under `skip`, relative), with size and
 * mtime, as sorted lines.
 */
export async function snapshot(dir: string, skip?: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      const rel = relative(dir, path);
      if (/^db\.sqlite/.test(rel) || rel === skip) continue;
      if (entry.isDirectory()) {
        out.push(`${rel}/`);
        await walk(path);
      } else {
        const s = await stat(path).catch(() => undefined);
        out.push(`${rel} ${s?.size ?? '?'} ${s?.mtimeMs ?? '?'}`);
      }
    }
  };
  await walk(dir);
  return out.sort();
}

/** An HTTP server that records every request it gets: the server must never call it. */
export async function hitRecorder(): Promise<{
  readonly url: string;
  readonly hits: string[];
  close(): Promise<void>;
}> {
  const hits: string[] = [];
  const listener = createServer((req, res) => {
    hits.push(`${req.method ?? '?'} ${req.url ?? ''}`);
    res.end('pwned');
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const { port } = listener.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((r) => listener.close(() => r())),
  };
}

export const API = '/api/2.0/mlflow';
export const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

/** An experiment and a run in it, over the plain JSON API; returns their ids. */
export async function experimentWithRun(
  url: string,
  name: string,
  headers: Record<string, string> = {},
  artifactLocation?: string,
): Promise<{ experimentId: string; runId: string; artifactUri: string }> {
  const { experiment_id: experimentId } = ok<{ experiment_id: string }>(
    await json(
      url,
      'POST',
      `${API}/experiments/create`,
      { name, ...(artifactLocation !== undefined ? { artifact_location: artifactLocation } : {}) },
      headers,
    ),
  );
  const { run } = ok<{ run: { info: { run_id: string; artifact_uri: string } } }>(
    await json(url, 'POST', `${API}/runs/create`, { experiment_id: experimentId }, headers),
  );
  return { experimentId, runId: run.info.run_id, artifactUri: run.info.artifact_uri };
}
