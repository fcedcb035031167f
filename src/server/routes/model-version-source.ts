import { MlopsError, invalidParam } from '../../core/index.js';
import { safeArtifactPath, type LoggedModel, type Run } from '../../tracking/index.js';
import type { ServerContext } from '../server-context.js';

/** A model-version source that resolves inside the artifact store, and what it lies in. */
export interface ResolvedSource {
  /** Normalised: `runs:/<id>/<path>`, `models:/<id>` or `mlflow-artifacts:/<path>`. */
  readonly source: string;
  /** The run the source lies in (the given run_id, or the one the source names). */
  readonly runId?: string;
  /** The logged model the source lies in, when it is one's. */
  readonly modelId?: string;
  /** The experiment of that run or logged model: registering needs READ there. */
  readonly experimentId: string;
}

const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
const ACCEPTED =
  "accepted sources are runs:/<run_id>/<path>, models:/<logged_model_id>, or a path inside the run's own artifact_uri (mlflow-artifacts:/...)";

/**
 * MLflow's CVE class (CVE-2023-1177, -2356, -2780, -6909, CVE-2024-1558, -3573, CVE-2025-11201,
 * CVE-2026-2614): a source pointing at the server's files or at another run's artifacts, reached by
 * a local path, `file:`, traversal, encodings or URL tricks. Here a source only ever resolves
 * inside the artifact store: a run's or a logged model's own tree. Everything else is refused
 * before anything is stored, rather than sanitised.
 */
export async function resolveModelVersionSource(
  ctx: ServerContext,
  raw: string,
  runId: string | undefined,
  modelId?: string,
): Promise<ResolvedSource> {
  const resolved = await resolveSource(ctx, raw, runId);
  if (modelId === undefined || modelId === resolved.modelId) return resolved;
  // MLflow 3.x names the logged model too: the source must be its tree or its run's.
  const model = await ctx.loggedModels.get(modelId);
  if (model.sourceRunId === undefined || model.sourceRunId !== resolved.runId) {
    throw invalidParam(
      `Invalid model version source '${raw}': it is not inside logged model ${modelId} (model_id) or the run it was logged from.`,
      { field: 'source' },
    );
  }
  return { ...resolved, modelId };
}

async function resolveSource(
  ctx: ServerContext,
  raw: string,
  runId: string | undefined,
): Promise<ResolvedSource> {
  const refuse = (why: string) =>
    invalidParam(`Invalid model version source '${raw}': ${why}; ${ACCEPTED}.`, {
      field: 'source',
    });
  for (const form of decodedForms(raw)) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(form)) throw refuse('it contains a control character');
    if (form.includes('\\')) throw refuse("it contains '\\'");
    if (/[?#;]/.test(form)) throw refuse('it contains a query string, fragment or parameter');
    if (/(^|[/:])\.\.?($|\/)/.test(form)) throw refuse("it contains a '.' or '..' segment");
  }
  if (runId !== undefined && !RUN_ID.test(runId)) {
    throw invalidParam(
      `Invalid run_id '${runId}': expected a run id (letters, digits, '_' and '-').`,
      { field: 'run_id' },
    );
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined || /^[a-zA-Z]:/.test(raw)) throw refuse('it is a local path');
  const rest = raw.slice(scheme.length + 1);
  if (scheme === 'runs') return runsSource(ctx, rest, runId, refuse);
  if (scheme === 'models') return loggedModelSource(ctx, rest, runId, refuse);
  if (scheme === 'mlflow-artifacts') return artifactSource(ctx, raw, runId, refuse);
  throw refuse(`the '${scheme}:' scheme points outside the artifact store`);
}

/** `runs:/<run_id>/<path>` as its run's artifact URI, and `models:/<id>` as its model's. */
export async function downloadUri(ctx: ServerContext, source: string): Promise<string> {
  const runs = /^runs:\/([^/]+)\/?(.*)$/.exec(source);
  if (runs) {
    const root = (await ctx.store.getRun(runs[1]!)).info.artifactUri;
    return runs[2] ? `${root}/${runs[2]}` : root;
  }
  const model = /^models:\/(m-[^/]+)$/.exec(source);
  if (model) return (await ctx.loggedModels.get(model[1]!)).artifactLocation;
  return source;
}

type Refuse = (why: string) => MlopsError;

/** The source and every form it takes under repeated percent-decoding (double encoding too). */
function decodedForms(raw: string): string[] {
  const forms = [raw];
  let form = raw;
  for (let i = 0; i < 5 && /%[0-9a-fA-F]{2}/.test(form); i++) {
    try {
      form = decodeURIComponent(form);
    } catch {
      break;
    }
    forms.push(form);
  }
  return forms;
}

async function runsSource(
  ctx: ServerContext,
  rest: string,
  runId: string | undefined,
  refuse: Refuse,
): Promise<ResolvedSource> {
  const m = /^\/([^/]+)(?:\/(.*))?$/.exec(rest);
  if (!m || !RUN_ID.test(m[1]!)) throw refuse('expected runs:/<run_id>/<path>');
  const sourceRun = m[1]!;
  if (runId !== undefined && runId !== sourceRun) {
    throw refuse(`it names run ${sourceRun}, but run_id is ${runId}`);
  }
  const path = safePath(m[2] ?? '', refuse);
  const run = await existingRun(ctx, sourceRun, refuse);
  inStore(run, refuse);
  return {
    source: path ? `runs:/${sourceRun}/${path}` : `runs:/${sourceRun}`,
    runId: sourceRun,
    experimentId: run.info.experimentId,
  };
}

async function loggedModelSource(
  ctx: ServerContext,
  rest: string,
  runId: string | undefined,
  refuse: Refuse,
): Promise<ResolvedSource> {
  const m = /^\/(m-[\w-]{1,255})$/.exec(rest);
  if (!m) throw refuse('expected models:/<logged_model_id> (a logged model, not a registered one)');
  const model = await ctx.loggedModels.get(m[1]!);
  checkModelRun(model, runId, refuse);
  return {
    source: `models:/${model.modelId}`,
    ...(runId !== undefined ? { runId } : {}),
    modelId: model.modelId,
    experimentId: model.experimentId,
  };
}

/**
 * `mlflow-artifacts:/...` inside a logged model's artifact location (the path says so), or inside
 * a run's artifact_uri: the given run_id's, else the run its path names.
 */
async function artifactSource(
  ctx: ServerContext,
  raw: string,
  runId: string | undefined,
  refuse: Refuse,
): Promise<ResolvedSource> {
  if (!/^mlflow-artifacts:\/(?!\/)/.test(raw)) throw refuse('expected mlflow-artifacts:/<path>');
  const parts = safePath(raw.slice('mlflow-artifacts:/'.length), refuse).split('/');
  if (parts[1] === 'models' && parts[2] !== undefined && parts[3] === 'artifacts') {
    const model = await ctx.loggedModels.get(parts[2]);
    const root = model.artifactLocation;
    if (raw !== root && !raw.startsWith(`${root}/`)) {
      throw refuse(`it is not inside logged model ${model.modelId}'s artifact location ${root}`);
    }
    checkModelRun(model, runId, refuse);
    return {
      source: `mlflow-artifacts:/${parts.join('/')}`,
      ...(runId !== undefined ? { runId } : {}),
      modelId: model.modelId,
      experimentId: model.experimentId,
    };
  }
  const owner = runId ?? (parts[2] === 'artifacts' ? parts[1] : undefined);
  if (owner === undefined || !RUN_ID.test(owner)) {
    throw refuse('give run_id, or a path <experiment_id>/<run_id>/artifacts/<path>');
  }
  const run = await existingRun(ctx, owner, refuse);
  const root = inStore(run, refuse);
  if (raw !== root && !raw.startsWith(`${root}/`)) {
    throw refuse(`it is not inside run ${owner}'s artifact_uri ${root}`);
  }
  const path = safePath(raw.slice(root.length), refuse);
  return {
    source: path ? `${root}/${path}` : root,
    runId: owner,
    experimentId: run.info.experimentId,
  };
}

/** The run's artifact root when the artifact store holds it (an experiment may point elsewhere). */
function inStore(run: Run, refuse: Refuse): string {
  const root = run.info.artifactUri;
  if (!root.startsWith('mlflow-artifacts:/')) {
    throw refuse(`run ${run.info.runId} keeps its artifacts outside the artifact store (${root})`);
  }
  return root;
}

function checkModelRun(model: LoggedModel, runId: string | undefined, refuse: Refuse): void {
  if (runId !== undefined && model.sourceRunId !== undefined && model.sourceRunId !== runId) {
    throw refuse(`logged model ${model.modelId} comes from run ${model.sourceRunId}, not ${runId}`);
  }
}

/** A path inside an artifact root: relative, no traversal, empty and '.' segments dropped. */
function safePath(path: string, refuse: Refuse): string {
  try {
    return safeArtifactPath(path.replace(/^\/+/, ''));
  } catch (err) {
    throw refuse(MlopsError.is(err) ? err.message.replace(/\.$/, '') : 'its path is unsafe');
  }
}

async function existingRun(ctx: ServerContext, runId: string, refuse: Refuse): Promise<Run> {
  try {
    return await ctx.store.getRun(runId);
  } catch (err) {
    if (MlopsError.is(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        refuse(`run ${runId} does not exist`).message,
        { cause: err },
      );
    }
    throw err;
  }
}
