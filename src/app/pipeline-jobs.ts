import { cliScriptPath, gitInfo, MlopsError } from '../core/index.js';
import type {
  Executor,
  PipelineSpec,
  ReproEvent,
  ReproReport,
  StageSpec,
} from '../pipeline/index.js';
import { connect } from './connect.js';
import { openBlobStore } from './open-blob-store.js';
import type { RemoteStore } from '../data/index.js';
import { findWorkspace, type WorkspacePaths } from './workspace.js';

export interface ReproJobOptions {
  readonly cwd?: string;
  /** Stage names (`train` also selects every `train@...`); default all. */
  readonly targets?: readonly string[];
  readonly force?: boolean;
  readonly dry?: boolean;
  /** With targets: them and everything downstream (instead of them and their upstream). */
  readonly downstream?: boolean;
  readonly jobs?: number;
  /** `local` (default) or `queue` (BullMQ workers, see `mlops worker`). */
  readonly executor?: 'local' | 'queue';
  readonly queue?: string;
  /** The remote workers share with us (queue executor); default: the default remote. */
  readonly remote?: string;
  readonly experiment?: string;
  readonly trackingUri?: string;
  readonly onEvent?: (event: ReproEvent) => void;
}

/** Shell-quotes one word. */
function q(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line a `uses` stage runs: the `mlops` of whoever runs it ($MLOPS_NODE and
 * $MLOPS_CLI are set by the executor, so a worker on another machine runs its own install).
 */
export function stepCommand(stage: StageSpec): string {
  return `"$MLOPS_NODE" "$MLOPS_CLI" step run ${q(stage.uses ?? '')} --stage ${q(stage.name)} --with ${q(JSON.stringify(stage.with ?? {}))}`;
}

/** The environment every stage gets so that `uses` stages find mlops and the tracking store. */
export function stageEnv(trackingUri: string | undefined): Record<string, string> {
  return {
    MLOPS_NODE: process.execPath,
    // The CLI script a `uses` stage runs (`mlops step run ...`): this install's.
    MLOPS_CLI: cliScriptPath(),
    ...(trackingUri === undefined ? {} : { MLOPS_TRACKING_URI: trackingUri }),
  };
}

/** The workspace's pipeline, validated (built-in steps known) with its DAG. */
export async function loadWorkspacePipeline(root: string) {
  const { loadPipeline, buildDag } = await import('../pipeline/index.js');
  const { builtinSteps } = await import('./pipeline-steps/index.js');
  const spec: PipelineSpec = await loadPipeline(root, { steps: builtinSteps() });
  return { spec, dag: buildDag(spec) };
}

/**
 * `mlops repro`: loads and validates mlops.yaml, selects the stages, and reproduces them with the
 * chosen executor, tracked as a pipeline run with one child run per stage (not for `--dry`).
 * A failed stage ends in `STAGE_FAILED` after the lock and tracking record what finished.
 */
export async function reproJob(options: ReproJobOptions = {}): Promise<ReproReport> {
  const workspace = findWorkspace(options.cwd);
  const root = workspace.root;
  // Asked now so the two git processes run while the pipeline is read.
  const git = options.dry ? undefined : gitInfo(root);
  const { spec, dag } = await loadWorkspacePipeline(root);
  const { selectStages, reproduce, startReproTracking, LocalExecutor } =
    await import('../pipeline/index.js');
  const selected = selectStages(dag, options.targets ?? [], {
    downstream: options.downstream === true,
  });
  const trackingUri =
    options.trackingUri || process.env['MLOPS_TRACKING_URI'] || `sqlite:${workspace.database}`;
  const client = await connect(trackingUri, { cwd: root });
  let executor: Executor | undefined;
  let remoteStore: RemoteStore | undefined;
  try {
    if (options.executor === 'queue') {
      const queue = await openQueueExecutor(root, workspace, options);
      executor = queue.executor;
      remoteStore = queue.remote;
    } else {
      executor = new LocalExecutor();
    }
    const tracker = options.dry
      ? undefined
      : await startReproTracking(client, {
          root,
          ...(git === undefined ? {} : { git }),
          ...(options.experiment === undefined ? {} : { experiment: options.experiment }),
        });
    const report = await reproduce({
      root,
      stateDir: workspace.stateDir,
      spec,
      dag,
      selected: new Set(selected),
      force: options.force === true,
      dry: options.dry === true,
      jobs: options.jobs ?? 1,
      executor,
      // Outs live in the workspace's byte store (or MLOPS_ARTIFACT_URI), wherever tracking is.
      blobs: openBlobStore(process.env['MLOPS_ARTIFACT_URI'], workspace.blobs),
      ...(remoteStore === undefined ? {} : { remoteBlobs: remoteStore.blobs }),
      stepCommand,
      // Workers use their own byte store settings; local stages share the workspace's.
      env: {
        ...stageEnv(trackingUri),
        ...(options.executor === 'queue' || process.env['MLOPS_ARTIFACT_URI']
          ? {}
          : { MLOPS_ARTIFACT_URI: workspace.blobs }),
      },
      ...(tracker === undefined ? {} : { tracker }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    });
    return report;
  } finally {
    await executor?.close();
    await remoteStore?.close();
    await client.close();
  }
}

async function openQueueExecutor(
  root: string,
  workspace: WorkspacePaths,
  options: ReproJobOptions,
): Promise<{ executor: Executor; remote: RemoteStore }> {
  const { loadRemotes, remoteConfigFiles, selectRemote, openRemote } =
    await import('../data/index.js');
  const config = await loadRemotes(remoteConfigFiles(root, workspace.stateDir));
  const remote = selectRemote(config, options.remote);
  if (
    !/^s3:\/\//.test(remote.url) &&
    !remote.url.startsWith('/') &&
    !remote.url.startsWith('file:')
  ) {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `The queue executor needs a remote every worker can reach; '${remote.name}' is ${remote.url}. Use an S3 remote (\`mlops data remote add shared s3://bucket/prefix --default\`).`,
    );
  }
  const opened = await openRemote(remote, {
    root,
    cacheLocation: workspace.blobs,
    mode: 'write',
  });
  const { QueueExecutor } = await import('../pipeline/index.js');
  const executor = new QueueExecutor({
    remote,
    ...(options.queue === undefined ? {} : { queue: options.queue }),
  });
  return { executor, remote: opened };
}

/** `mlops dag`: the validated pipeline's graph as text and as JSON (optionally a sub-graph). */
export async function dagJob(
  options: { cwd?: string; targets?: readonly string[]; downstream?: boolean } = {},
): Promise<{ text: string; json: unknown }> {
  const { root } = findWorkspace(options.cwd);
  const { spec, dag } = await loadWorkspacePipeline(root);
  const { selectStages, renderDag, dagJson, buildDag } = await import('../pipeline/index.js');
  const targets = options.targets ?? [];
  if (targets.length === 0) return { text: renderDag(dag), json: dagJson(dag) };
  const keep = new Set(selectStages(dag, targets, { downstream: options.downstream === true }));
  const sub = buildDag({ ...spec, stages: spec.stages.filter((s) => keep.has(s.name)) });
  return { text: renderDag(sub), json: dagJson(sub) };
}
