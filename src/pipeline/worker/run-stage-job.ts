import { existsSync } from 'node:fs';
import { appendFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BlobStore } from '../../blobs/index.js';
import { invalidParam } from '../../core/index.js';
import { restoreDataPaths, storeDataPaths, type DataContext } from '../../data/index.js';
import { runCommands } from '../executors/run-commands.js';
import type { LockedOut } from '../lock/lock-types.js';
import type { JobLine, StageJobData, StageJobResult } from './stage-job.js';

/** Results keep at most this much log (the tail); Redis holds every result for a while. */
export const MAX_RESULT_LOG_CHARS = 4 * 1024 * 1024;
/** The exit code of a stage stopped by its attempt timeout (as coreutils `timeout`). */
export const TIMEOUT_EXIT_CODE = 124;
/** Private job directories are named `<STAGE_DIR_PREFIX><pid>-<random>` under the work dir. */
export const STAGE_DIR_PREFIX = 'mlops-stage-';
/** In a private job directory: the process groups its commands ran in, one per line. */
export const PGIDS_FILE = '.mlops-pgids';

export interface StageJobContext {
  /** The shared remote's byte store: inputs come from it, outs go to it. */
  readonly blobs: BlobStore;
  /** Where the job's private directory is made. */
  readonly workDir: string;
  readonly worker: string;
  readonly attempt: string;
  /** Set over the job's environment (this worker's own mlops, tracking store, ...). */
  readonly env: Readonly<Record<string, string>>;
  readonly onLine: (line: JobLine) => void;
  /** Aborted when the job is cancelled or released: the commands are killed, nothing is stored. */
  readonly signal?: AbortSignal;
}

/** A workspace-relative path from the job; refused if it could leave the private directory. */
function checkRel(path: string, what: string): string {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || parts.includes('..') || path.includes('\\')) {
    throw invalidParam(`The stage job's ${what} ${JSON.stringify(path)} is not a workspace path.`);
  }
  return path;
}

const abs = (root: string, rel: string) => join(root, ...rel.split('/'));

/**
 * Runs one stage job in a private directory of its own: materializes the inputs from the shared
 * store by hash, runs the commands in `<dir>/<wdir>`, stores the outs back, and deletes the
 * directory. Nothing outside that directory is written before the outs are stored (content
 * addressed, so a worker killed half-way leaves no out anywhere the coordinator reads).
 *
 * A failing command is a result (exit code and log). Failures of the worker's own side (the
 * store unreachable, a blob missing) throw, so the queue retries the job elsewhere.
 */
export async function runStageJob(
  data: StageJobData,
  ctx: StageJobContext,
): Promise<StageJobResult> {
  const started = performance.now();
  const { stage } = data;
  const wdir = stage.wdir === '.' || stage.wdir === '' ? '.' : checkRel(stage.wdir, 'wdir');
  for (const input of data.inputs) checkRel(input.path, 'input');
  for (const out of stage.outs) checkRel(out.path, 'out');

  const lines: JobLine[] = [];
  const emit = (stream: 'o' | 'e', text: string) => {
    const line: JobLine = [stream, text];
    lines.push(line);
    ctx.onLine(line);
  };
  const finish = (
    fields: Pick<StageJobResult, 'exitCode'> & Partial<StageJobResult>,
  ): StageJobResult => ({
    attempt: ctx.attempt,
    worker: ctx.worker,
    durationMs: performance.now() - started,
    ...resultLog(lines),
    ...fields,
  });

  await mkdir(ctx.workDir, { recursive: true });
  const root = await mkdtemp(join(ctx.workDir, `${STAGE_DIR_PREFIX}${process.pid}-`));
  try {
    const workspace: DataContext = { root, stateDir: join(root, '.mlops'), blobs: ctx.blobs };
    await mkdir(workspace.stateDir, { recursive: true });
    await restoreDataPaths(workspace, data.inputs);
    for (const out of stage.outs) await mkdir(dirname(abs(root, out.path)), { recursive: true });
    const cwd = wdir === '.' ? root : abs(root, wdir);
    await mkdir(cwd, { recursive: true });

    const timeout =
      data.attemptTimeoutMs === undefined ? undefined : AbortSignal.timeout(data.attemptTimeoutMs);
    const signals = [ctx.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length === 0 ? undefined : AbortSignal.any(signals);
    const ran = await runCommands(
      data.commands,
      cwd,
      { ...data.env, ...ctx.env },
      {
        onLine: (text, stream) => emit(stream === 'stdout' ? 'o' : 'e', text),
        // A worker killed with SIGKILL cannot stop its commands (each leads its own process
        // group); the next worker to start in this work dir kills the groups recorded here.
        onSpawn: (pgid) => appendFileSync(join(root, PGIDS_FILE), `${pgid}\n`),
        ...(signal === undefined ? {} : { signal }),
      },
    );
    const signalled = ran.signal === undefined ? {} : { signal: ran.signal };
    if (ctx.signal?.aborted)
      return finish({ exitCode: ran.exitCode, ...signalled, cancelled: true });
    if (timeout?.aborted) {
      emit(
        'e',
        `mlops worker: the stage ran out of its ${data.attemptTimeoutMs} ms and was stopped`,
      );
      return finish({ exitCode: TIMEOUT_EXIT_CODE, ...signalled });
    }
    if (ran.exitCode !== 0) return finish({ exitCode: ran.exitCode, ...signalled });

    const missing = stage.outs.filter((o) => !existsSync(abs(root, o.path))).map((o) => o.path);
    if (missing.length > 0) {
      emit(
        'e',
        `mlops worker: the stage succeeded but did not write ${missing.join(', ')}; fix its command or its outs in mlops.yaml`,
      );
      return finish({ exitCode: 1 });
    }
    const stored = await storeDataPaths(
      workspace,
      stage.outs.map((o) => o.path),
    );
    const outs: LockedOut[] = stored.map((s, i) => {
      const kind = stage.outs[i]?.kind;
      return { ...s, ...(kind === 'metric' || kind === 'plot' ? { kind } : {}) };
    });
    return finish({ exitCode: 0, outs });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The log and stream letters of `lines`, keeping the tail within `MAX_RESULT_LOG_CHARS`. */
function resultLog(lines: readonly JobLine[]): Pick<StageJobResult, 'log' | 'streams' | 'dropped'> {
  let first = lines.length;
  let size = 0;
  while (first > 0) {
    const next = (lines[first - 1]?.[1].length ?? 0) + 1;
    if (size + next > MAX_RESULT_LOG_CHARS) break;
    size += next;
    first--;
  }
  const kept = lines.slice(first);
  return {
    log: kept.map(([, text]) => text + '\n').join(''),
    streams: kept.map(([stream]) => stream).join(''),
    dropped: first,
  };
}
