import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MlopsError } from '../../core/index.js';
import {
  StatCache,
  hashDataPaths,
  ignoreInGit,
  readDataPointer,
  restoreDataPaths,
  storeDataPaths,
  type DataContext,
  type StoredPath,
} from '../../data/index.js';
import type { StoredInput } from '../executors/executor.js';
import { readLockFile } from '../lock/lock-file.js';
import type { LockedOut, LockedStage } from '../lock/lock-types.js';
import { RUN_CACHE_DIR, RunCache } from '../run-cache/run-cache.js';
import type { StageSpec } from '../spec/pipeline-spec.js';
import { LockWriter } from './lock-writer.js';
import { safeName } from './repro-tracker.js';
import type { ReproOptions, ReproReport, StageDetails, StageReport } from './repro-types.js';
import {
  definitionOf,
  lockedDeps,
  onlyOutsMissing,
  paramsOf,
  staleReasons,
  type PathState,
} from './stage-state.js';

/** Where stage logs go under the state directory. */
export const LOGS_DIR = 'logs';

/**
 * `mlops repro`: walks the DAG in order, running each selected stage whose definition, deps,
 * params or outs differ from `mlops.lock` (restoring its outs from the run-cache instead when
 * these inputs ran before), up to `jobs` stages at once. A failed stage stops its downstream
 * stages; independent branches go on; the lock keeps the entries of every stage that finished.
 */
export async function reproduce(options: ReproOptions): Promise<ReproReport> {
  const { spec, dag } = options;
  const stages = new Map(spec.stages.map((s) => [s.name, s]));
  const lock = await readLockFile(options.root);
  const writer = new LockWriter(
    options.root,
    lock,
    spec.stages.map((s) => s.name),
  );
  const runCache = new RunCache(join(options.stateDir, RUN_CACHE_DIR));
  const cache = await StatCache.load(options.stateDir);
  const ctx: DataContext = { root: options.root, stateDir: options.stateDir, blobs: options.blobs };
  const slots = new Semaphore(Math.max(1, options.jobs ?? 1));
  const logDir = join(options.stateDir, LOGS_DIR, options.tracker?.pipelineRunId ?? stamp());
  const reports = new Map<string, StageReport>();
  const done = new Map<string, Promise<StageReport>>();

  const reproduceStage = async (name: string): Promise<StageReport> => {
    const stage = stages.get(name);
    if (!stage) throw new MlopsError('INTERNAL_ERROR', `stage ${name} is not in the pipeline`);
    const upstream = await Promise.all(dag.upstreamOf(name).map((u) => done.get(u)));
    const started = performance.now();
    const finish = async (
      result: StageReport,
      details: Omit<StageDetails, 'datasets'> = { outs: [] },
    ) => {
      // Every stage has a child run when tracked, skipped ones included.
      const runId = options.tracker ? await options.tracker.stageRun(stage) : undefined;
      const report = runId === undefined ? result : { ...result, runId };
      reports.set(name, report);
      options.onEvent?.({ type: 'done', report });
      if (options.tracker) {
        await options.tracker.stageFinished(stage, report, {
          ...details,
          datasets: await datasetsOf(options.root, stage),
        });
      }
      return report;
    };
    const base = (status: StageReport['status'], reasons: string[]): StageReport => ({
      name,
      status,
      reasons,
      durationMs: performance.now() - started,
      ...(runIds.has(name) ? { runId: runIds.get(name) as string } : {}),
    });
    const blocked = upstream.find((u) => u && (u.status === 'failed' || u.status === 'not-run'));
    if (blocked) {
      return finish(
        base('not-run', [
          `upstream stage '${blocked.name}' ${blocked.status === 'failed' ? 'failed' : 'did not run'}`,
        ]),
      );
    }
    const locked = lock.stages[name];
    if (options.selected && !options.selected.has(name)) {
      return finish(base('skipped', ['not selected']), lockedDetails(locked));
    }
    if (stage.frozen) return finish(base('skipped', ['frozen']), lockedDetails(locked));

    const depStates = await statesOf(ctx, cache, stage.deps, true);
    const outStates = await statesOf(
      ctx,
      cache,
      stage.outs.map((o) => o.path),
      false,
    );
    let reasons = options.force ? ['forced'] : staleReasons(stage, locked, depStates, outStates);
    if (options.dry) {
      const moving = upstream.filter((u) => u?.status === 'would-run').map((u) => u?.name);
      reasons = [...reasons, ...moving.map((u) => `upstream stage '${u}' would run`)];
      return finish(
        base(
          reasons.length > 0 ? 'would-run' : 'skipped',
          reasons.length > 0 ? reasons : ['up to date'],
        ),
        lockedDetails(locked),
      );
    }
    if (reasons.length === 0) return finish(base('skipped', ['up to date']), lockedDetails(locked));

    const deps = lockedDeps(stage, depStates);
    if (!deps) {
      const missing = stage.deps.filter(
        (d) => depStates.get(d)?.kind !== 'file' && depStates.get(d)?.kind !== 'directory',
      );
      return finish({
        ...base('failed', reasons),
        error: `missing dep${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: run the stage that writes it, or restore it (\`mlops data pull\`).`,
      });
    }
    const entryBase = { ...definitionOf(stage), deps, params: paramsOf(stage) };

    // Restore instead of running: from the run-cache (these inputs ran before), or, when only
    // outs went missing, from the lock's own record of them.
    const key = RunCache.eligible(stage) ? RunCache.key(stage, deps) : undefined;
    const candidates: { entry: LockedStage; why: string }[] = [];
    if (!options.force && key !== undefined) {
      const hit = await runCache.lookup(key);
      if (hit)
        candidates.push({
          entry: hit,
          why: 'restored from the run-cache (these inputs ran before)',
        });
    }
    if (!options.force && locked && onlyOutsMissing(reasons)) {
      candidates.push({ entry: locked, why: 'outs restored from the store (mlops.lock)' });
    }
    for (const { entry, why } of candidates) {
      const outs = entry.outs;
      if (!sameOuts(stage, outs)) continue;
      try {
        await restoreDataPaths(ctx, outs as StoredPath[], cache);
      } catch (err) {
        if (MlopsError.is(err) && (err.code === 'BLOB_NOT_FOUND' || err.code === 'BLOB_CORRUPT'))
          continue;
        throw err;
      }
      const restored: LockedStage = { ...entryBase, outs };
      await writer.set(name, restored);
      await ignoreCachedOuts(options.root, stage);
      return finish(base('cache-hit', [...reasons, why]), { entry: restored, outs });
    }

    // Run it.
    const runId = options.tracker ? await options.tracker.stageRun(stage) : undefined;
    if (runId !== undefined) runIds.set(name, runId);
    const inputs = options.executor.remote ? await storeInputs(options, stage) : [];
    const logFile = join(logDir, `${safeName(name)}.log`);
    const rel = logFile.slice(options.root.length + 1);
    const commands = stage.cmd ?? [options.stepCommand(stage)];
    await slots.acquire();
    let outcome;
    try {
      options.onEvent?.({ type: 'start', stage: name, reasons, commands });
      await prepareOuts(options.root, stage, options.executor.remote);
      outcome = await options.executor.execute(
        {
          stage,
          root: options.root,
          commands,
          env: {
            ...options.env,
            MLOPS_STAGE: name,
            ...(runId === undefined ? {} : { MLOPS_RUN_ID: runId }),
          },
          inputs,
          ...(runId === undefined ? {} : { runId }),
        },
        {
          onLine: (line, stream) => options.onEvent?.({ type: 'line', stage: name, line, stream }),
        },
      );
    } finally {
      slots.release();
    }
    await mkdir(logDir, { recursive: true });
    await writeFile(logFile, outcome.log);
    const ran = {
      ...base(outcome.exitCode === 0 ? 'ran' : 'failed', reasons),
      durationMs: outcome.durationMs,
      exitCode: outcome.exitCode,
      logFile: rel,
      ...(outcome.worker === undefined ? {} : { worker: outcome.worker }),
    };
    if (outcome.exitCode !== 0) {
      return finish(
        {
          ...ran,
          error: outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.exitCode}`,
        },
        { log: outcome.log, outs: [] },
      );
    }
    let outs: LockedOut[];
    try {
      outs = await collectOuts(options, ctx, cache, stage, outcome.outs);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return finish({ ...ran, status: 'failed', error: message }, { log: outcome.log, outs: [] });
    }
    const entry: LockedStage = { ...entryBase, outs };
    if (key !== undefined) await runCache.save(key, entry);
    await writer.set(name, entry);
    await ignoreCachedOuts(options.root, stage);
    return finish(ran, { entry, log: outcome.log, outs });
  };

  const runIds = new Map<string, string>();
  try {
    for (const name of dag.order) done.set(name, reproduceStage(name));
    await Promise.all(done.values());
  } finally {
    await cache.save();
    await writer.flush();
  }
  const ordered = dag.order.map((n) => reports.get(n) as StageReport);
  const failed = ordered.find((r) => r.status === 'failed');
  const report: ReproReport = {
    stages: ordered,
    ...(failed ? { failed } : {}),
    ...(options.tracker ? { pipelineRunId: options.tracker.pipelineRunId } : {}),
    dry: options.dry === true,
  };
  await options.tracker?.finish(report);
  return report;
}

function lockedDetails(locked: LockedStage | undefined): Omit<StageDetails, 'datasets'> {
  return locked ? { entry: locked, outs: locked.outs } : { outs: [] };
}

/** Paths' states; deps that are versioned datasets count as the version their pointer names. */
async function statesOf(
  ctx: DataContext,
  cache: StatCache,
  paths: readonly string[],
  pointers: boolean,
): Promise<Map<string, PathState>> {
  const out = new Map<string, PathState>();
  const toHash: string[] = [];
  for (const path of paths) {
    const pointer = pointers ? await readDataPointer(ctx.root, path) : undefined;
    if (pointer) {
      out.set(path, {
        kind: pointer.files === undefined ? 'file' : 'directory',
        sha256: pointer.sha256,
        size: pointer.size,
        ...(pointer.files === undefined ? {} : { files: pointer.files }),
      });
    } else toHash.push(path);
  }
  const hashed = await hashDataPaths(ctx, toHash, cache);
  for (const [path, state] of hashed) {
    out.set(
      path,
      state.kind === 'missing'
        ? state
        : {
            kind: state.kind,
            sha256: state.sha256,
            size: state.size,
            ...(state.kind === 'directory' ? { files: state.files } : {}),
          },
    );
  }
  return out;
}

async function datasetsOf(root: string, stage: StageSpec) {
  const out: { path: string; sha256: string }[] = [];
  for (const path of stage.deps) {
    const pointer = await readDataPointer(root, path).catch(() => undefined);
    if (pointer) out.push({ path, sha256: pointer.sha256 });
  }
  return out;
}

function sameOuts(stage: StageSpec, outs: readonly LockedOut[]): boolean {
  return (
    outs.length === stage.outs.length &&
    stage.outs.every((o, i) => outs[i]?.path === o.path && outs[i]?.manifest !== undefined)
  );
}

/** Before a local run: outs are removed (unless `persist`), their parent directories made. */
async function prepareOuts(root: string, stage: StageSpec, remote: boolean): Promise<void> {
  for (const out of stage.outs) {
    const abs = join(root, ...out.path.split('/'));
    if (!remote && !out.persist) await rm(abs, { recursive: true, force: true });
    await mkdir(dirname(abs), { recursive: true });
  }
}

/** For remote executors: deps and params files stored where workers can fetch them. */
async function storeInputs(options: ReproOptions, stage: StageSpec): Promise<StoredInput[]> {
  const target = options.remoteBlobs ?? options.blobs;
  const ctx: DataContext = { root: options.root, stateDir: options.stateDir, blobs: target };
  const paths = [...new Set([...stage.deps, ...stage.params.map((p) => p.file)])];
  const stored = await storeDataPaths(ctx, paths);
  return stored.map((s) => ({ ...s }));
}

/**
 * The stage's outs stored in the local store: read from the workspace (local executor), or
 * landed from the shared store where a worker put them (remote executor): fetched into the
 * workspace first, verified by hash, then stored locally.
 */
async function collectOuts(
  options: ReproOptions,
  ctx: DataContext,
  cache: StatCache,
  stage: StageSpec,
  remoteOuts: readonly LockedOut[] | undefined,
): Promise<LockedOut[]> {
  if (remoteOuts !== undefined) {
    const remoteCtx: DataContext = { ...ctx, blobs: options.remoteBlobs ?? options.blobs };
    const byPath = new Map(remoteOuts.map((o) => [o.path, o]));
    const missing = stage.outs.filter((o) => byPath.get(o.path)?.manifest === undefined);
    if (missing.length > 0) {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `the stage did not write ${missing.map((o) => o.path).join(', ')}`,
      );
    }
    await restoreDataPaths(
      remoteCtx,
      stage.outs.map((o) => byPath.get(o.path) as StoredPath),
      cache,
    );
  }
  const missing = stage.outs
    .map((o) => o.path)
    .filter((p) => !existsSync(join(ctx.root, ...p.split('/'))));
  if (missing.length > 0) {
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `the stage succeeded but did not write ${missing.join(', ')}; fix its command or its outs in mlops.yaml`,
    );
  }
  const stored = await storeDataPaths(
    ctx,
    stage.outs.map((o) => o.path),
    new Map(),
    cache,
  );
  return stored.map((s, i) => {
    const kind = stage.outs[i]?.kind;
    return { ...s, ...(kind === 'metric' || kind === 'plot' ? { kind } : {}) };
  });
}

async function ignoreCachedOuts(root: string, stage: StageSpec): Promise<void> {
  const cached = stage.outs.filter((o) => o.cache).map((o) => o.path);
  if (cached.length > 0) await ignoreInGit(root, cached);
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** At most `n` holders at once. */
class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(n: number) {
    this.#free = n;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
