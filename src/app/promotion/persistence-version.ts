import { isAbsolute, relative, resolve } from 'node:path';
import { MlopsError } from '../../core/index.js';
import type { ModelVersion } from '../../registry/index.js';
import { forecastTrain } from '../forecast-jobs.js';
import type { LoadedRegisteredModel } from '../models/load-model-package.js';
import type { ModelsContext } from '../models/models-context.js';
import { registerModel } from '../models/register-model.js';
import { findWorkspace } from '../workspace.js';

/** Where the gate's own persistence runs are tracked when it has to make one. */
export const PERSISTENCE_EXPERIMENT = 'promotion';

/** Every version of `name`, newest first. */
export async function modelVersions(ctx: ModelsContext, name: string): Promise<ModelVersion[]> {
  const out: ModelVersion[] = [];
  let pageToken: string | undefined;
  do {
    const page = await ctx.registry.searchModelVersions({
      filter: `name = '${name.replace(/'/g, "''")}'`,
      ...(pageToken === undefined ? {} : { pageToken }),
    });
    out.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out.sort((a, b) => Number(b.version) - Number(a.version));
}

/**
 * The persistence version of `name` the gate compares with: the newest version that is not
 * archived whose package loads and is persistence. `load` caches packages for the caller. None found, one
 * is made the way the example makes it (a tracked `forecast train --model persistence` run on
 * `data`, fit-free) and registered, so the naive forecast is always a version of the model.
 */
export async function ensurePersistenceVersion(
  ctx: ModelsContext,
  name: string,
  data: string,
  load: (v: ModelVersion) => Promise<LoadedRegisteredModel>,
  progress?: (line: string) => void,
): Promise<LoadedRegisteredModel> {
  for (const v of await modelVersions(ctx, name)) {
    if (v.archived || !v.packageHash) continue;
    // A version that does not load (a corrupt package) is no baseline; its own role, if it has
    // one (candidate, holder), reports the problem.
    const loaded = await load(v).catch((err: unknown) => {
      if (MlopsError.is(err)) return undefined;
      throw err;
    });
    if (loaded?.manifest.model_kind === 'persistence') return loaded;
  }
  progress?.(`${name} has no persistence version; training and registering one on ${data}`);
  const run = await forecastTrain(ctx.client, {
    data: dataArgument(resolve(ctx.cwd ?? process.cwd(), data), ctx.cwd),
    model: 'persistence',
    experiment: PERSISTENCE_EXPERIMENT,
    runName: `persistence for ${name}`,
  });
  const registered = await registerModel(ctx, {
    source: `runs:/${run.runId}/model`,
    name,
    description: 'Persistence (the next close is the last close): the naive baseline of the gate.',
  });
  return load(registered.version);
}

/**
 * The data path as the training run reads and records it: workspace-relative (as the pipeline's
 * runs record theirs) when this process runs in the workspace root, else absolute, since the run
 * reads it from this process's directory.
 */
function dataArgument(path: string, cwd: string | undefined): string {
  const root = findWorkspace(cwd).root;
  const rel = relative(root, path);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  return inside && resolve(process.cwd()) === root ? rel : path;
}
