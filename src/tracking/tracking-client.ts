import { gitInfo, MlopsError } from '../core/index.js';
import type { BlobStore } from '../blobs/index.js';
import { LineageRelations, type LineageStore } from '../lineage/index.js';
import { ActiveRun, type RunHost } from './active-run.js';
import { downloadArtifacts, listArtifacts, logArtifact, logArtifacts } from './artifacts.js';
import type {
  ArtifactRecord,
  Experiment,
  FileInfo,
  KeyValue,
  Page,
  Run,
  RunStatus,
} from './entities.js';
import { SystemTags } from './entities.js';
import { unwatchRun, watchRun } from './exit-hooks.js';
import type { SearchRunsInput, TrackingStore } from './tracking-store.js';

export interface StartRunOptions {
  /** Experiment name (created when missing) or `{ id }`; default: the Default experiment. */
  readonly experiment?: string | { readonly id: string };
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Makes this a nested run: sets `mlflow.parentRunId`. */
  readonly parentRunId?: string;
  /** Working directory whose git commit is recorded; default: process.cwd(). */
  readonly cwd?: string;
}

/**
 * The SDK entry point: experiments, runs, metrics, artifacts and lineage over one tracking store
 * and the one byte store. Get one with `connect()` from the package root.
 *
 * @example
 * const client = await connect();
 * await withRun(client, { experiment: 'goog' }, async (run) => {
 *   await run.logParams({ lr: 0.001 });
 *   run.logMetric('rmse', 2.71);
 * });
 * await client.close();
 */
export class TrackingClient {
  private readonly active = new Set<ActiveRun>();
  private readonly host: RunHost;

  constructor(
    readonly store: TrackingStore,
    readonly blobs: BlobStore,
    readonly lineage: LineageStore,
  ) {
    this.host = {
      store,
      logArtifact: (runId, localPath, artifactPath) =>
        this.logArtifact(runId, localPath, artifactPath),
      logArtifacts: (runId, localDir, artifactPath) =>
        this.logArtifacts(runId, localDir, artifactPath),
      released: (run) => {
        this.active.delete(run);
        unwatchRun(run);
      },
    };
  }

  /** Id of the experiment with this name, creating it when missing (MLflow's `set_experiment`). */
  async experimentId(nameOrId: string | { readonly id: string }): Promise<string> {
    if (typeof nameOrId !== 'string')
      return (await this.store.getExperiment(nameOrId.id)).experimentId;
    const found = await this.store.getExperimentByName(nameOrId);
    if (found) {
      if (found.lifecycleStage === 'deleted') {
        throw new MlopsError(
          'INVALID_PARAMETER_VALUE',
          `Experiment '${nameOrId}' is deleted; restore it with \`mlops experiments restore ${found.experimentId}\` or use another name.`,
        );
      }
      return found.experimentId;
    }
    try {
      return await this.store.createExperiment({ name: nameOrId });
    } catch (err) {
      // Another process created it between our lookup and insert.
      const raced = await this.store.getExperimentByName(nameOrId);
      if (raced) return raced.experimentId;
      throw err;
    }
  }

  /** The experiment with this id (all digits) or name; `RESOURCE_DOES_NOT_EXIST` when none. */
  async findExperiment(idOrName: string): Promise<Experiment> {
    if (/^\d+$/.test(idOrName)) return this.store.getExperiment(idOrName);
    const found = await this.store.getExperimentByName(idOrName);
    if (!found) {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `No experiment named '${idOrName}'. List experiments with \`mlops experiments list\`.`,
      );
    }
    return found;
  }

  async startRun(options: StartRunOptions = {}): Promise<ActiveRun> {
    const experimentId = await this.experimentId(options.experiment ?? { id: '0' });
    const tags: KeyValue[] = [];
    const git = await gitInfo(options.cwd);
    if (git) {
      tags.push({ key: SystemTags.gitCommit, value: git.commit });
      if (git.branch) tags.push({ key: SystemTags.gitBranch, value: git.branch });
      if (git.repoUrl) tags.push({ key: SystemTags.gitRepoUrl, value: git.repoUrl });
    }
    const script = process.argv[1];
    if (script) tags.push({ key: SystemTags.sourceName, value: script });
    tags.push({ key: SystemTags.sourceType, value: 'LOCAL' });
    if (options.parentRunId) {
      await this.store.getRun(options.parentRunId);
      tags.push({ key: SystemTags.parentRunId, value: options.parentRunId });
    }
    for (const [key, value] of Object.entries(options.tags ?? {})) tags.push({ key, value });
    const run = await this.store.createRun({
      experimentId,
      ...(options.name !== undefined ? { runName: options.name } : {}),
      tags,
    });
    if (options.parentRunId) {
      await this.lineage.record([
        {
          src: { type: 'run', id: options.parentRunId },
          dst: { type: 'run', id: run.info.runId },
          relation: LineageRelations.parentOf,
        },
      ]);
    }
    const active = new ActiveRun(this.host, run.info);
    this.active.add(active);
    watchRun(active);
    return active;
  }

  /** `withRun(this, options, fn)`: ends the run FINISHED, or FAILED when `fn` throws. */
  withRun<T>(options: StartRunOptions, fn: (run: ActiveRun) => Promise<T>): Promise<T> {
    return withRun(this, options, fn);
  }

  getRun(runId: string): Promise<Run> {
    return this.store.getRun(runId);
  }

  searchRuns(input: SearchRunsInput): Promise<Page<Run>> {
    return this.store.searchRuns(input);
  }

  /** Stores a file or directory as an artifact of `runId` and records the run -> artifact edges. */
  async logArtifact(runId: string, localPath: string, artifactPath = ''): Promise<void> {
    await this.recordOutputs(runId, await logArtifact(this, runId, localPath, artifactPath));
  }

  /** Stores the contents of `localDir` directly under `artifactPath` of `runId` (MLflow's `log_artifacts`). */
  async logArtifacts(runId: string, localDir: string, artifactPath = ''): Promise<void> {
    await this.recordOutputs(runId, await logArtifacts(this, runId, localDir, artifactPath));
  }

  // Recorded after the artifact records, in a second transaction: a crash between the two leaves
  // artifacts without their lineage edges, never edges to bytes that were not stored.
  private async recordOutputs(runId: string, records: readonly ArtifactRecord[]): Promise<void> {
    await this.lineage.record(
      records.map((r) => ({
        src: { type: 'run', id: runId },
        dst: { type: 'artifact', id: r.manifestId },
        relation: LineageRelations.output,
        attrs: { path: r.path },
      })),
    );
  }

  listArtifacts(runId: string, path = ''): Promise<FileInfo[]> {
    return listArtifacts(this.store, runId, path);
  }

  downloadArtifacts(runId: string, path: string, destDir: string): Promise<string> {
    return downloadArtifacts(this, runId, path, destDir);
  }

  /** Ends every open run (KILLED unless given), then closes the stores. */
  async close(status: RunStatus = 'KILLED'): Promise<void> {
    for (const run of [...this.active]) await run.end(status);
    await this.store.close();
  }
}

/**
 * Runs `fn` inside a run: ends it FINISHED when `fn` resolves, FAILED (and rethrows) when it throws.
 *
 * @example
 * const rmse = await withRun(client, { experiment: 'goog', name: 'ridge' }, async (run) => {
 *   run.logMetric('rmse', 2.66);
 *   return 2.66;
 * });
 */
export async function withRun<T>(
  client: TrackingClient,
  options: StartRunOptions,
  fn: (run: ActiveRun) => Promise<T>,
): Promise<T> {
  const run = await client.startRun(options);
  let result: T;
  try {
    result = await fn(run);
  } catch (err) {
    await run.end('FAILED');
    throw err;
  }
  await run.end('FINISHED');
  return result;
}
