import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { storeFile } from '../../blobs/index.js';
import { MlopsError } from '../../core/index.js';
import type { ModelVersion, RegistryStore } from '../../registry/index.js';
import type { TrackingClient } from '../../tracking/index.js';
import { readModelSummary } from './model-summary.js';

/** Where `forecast/train` logs its model in the stage run (`artifacts: {model: out}`). */
const MODEL_ARTIFACT = 'model';
/** Runs looked at per model directory, newest first: a workspace's pipeline history. */
const MAX_RUNS = 1000;

/** Every file under `dir`, '/'-separated relative paths. */
async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/**
 * The run that logged exactly the model in `dir` (every file, byte for byte, as `model/...`):
 * this repro's train stage when it ran, else the earlier run that trained the restored or
 * skipped outs. Files are matched by their byte-store manifests; storing them again writes
 * nothing, since the pipeline stored them as outs. Candidates are the runs of `experimentId`
 * tagged with the model kind and data version its summary.json names.
 */
export async function trainingRunOf(
  client: TrackingClient,
  experimentId: string,
  dir: string,
  label: string,
): Promise<string> {
  const summary = await readModelSummary(dir);
  if (!summary) {
    throw new MlopsError(
      'INVALID_STATE',
      `${label} has no summary.json, so it was not trained by a forecast/train stage; register it from its run with \`mlops models register runs:/<run id>/model --name <name>\`.`,
      { details: { dir: label } },
    );
  }
  const wanted = new Map<string, string>();
  for (const path of await filesOf(dir)) {
    const stored = await storeFile(client.blobs, join(dir, path), { flush: false });
    wanted.set(`${MODEL_ARTIFACT}/${path}`, stored.manifestId);
  }
  await client.blobs.flush();
  const filter = `tags.model = '${summary.model}' and tags.\`data.sha256\` = '${summary.data.sha256}'`;
  let pageToken: string | undefined;
  let seen = 0;
  do {
    const page = await client.searchRuns({
      experimentIds: [experimentId],
      filter,
      orderBy: ['attributes.start_time DESC'],
      maxResults: 100,
      ...(pageToken === undefined ? {} : { pageToken }),
    });
    for (const run of page.items) {
      const records = await client.store.listArtifactRecords(run.info.runId, MODEL_ARTIFACT);
      const logged = records.filter((r) => r.path.startsWith(`${MODEL_ARTIFACT}/`));
      const same =
        logged.length === wanted.size && logged.every((r) => wanted.get(r.path) === r.manifestId);
      if (same) return run.info.runId;
    }
    seen += page.items.length;
    pageToken = page.nextPageToken;
  } while (pageToken && seen < MAX_RUNS);
  throw new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `No tracked run logged the model in ${label} (looked at ${seen} runs tagged model=${summary.model}, data.sha256=${summary.data.sha256.slice(0, 12)}). Train it with \`mlops repro\` (train stages log their models to their stage runs), or register a run's model with \`mlops models register runs:/<run id>/model --name <name>\`.`,
    { details: { dir: label } },
  );
}

/** The newest version of `name` registered from `runId` that can be judged, if any. */
export async function versionFromRun(
  registry: RegistryStore,
  name: string,
  runId: string,
): Promise<ModelVersion | undefined> {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const page = await registry
    .searchModelVersions({ filter: `name = ${quote(name)} and run_id = ${quote(runId)}` })
    .catch((err: unknown) => {
      if (MlopsError.is(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') return { items: [] };
      throw err;
    });
  return page.items
    .filter((v) => !v.archived && v.packageHash !== undefined)
    .sort((a, b) => Number(b.version) - Number(a.version))[0];
}
