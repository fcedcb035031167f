import { readStoredFile } from '../../blobs/index.js';
import { invalidParam } from '../../core/index.js';
import { parseModelManifest, type ModelSignature } from '../../registry/index.js';
import type { Run } from '../../tracking/index.js';
import type { TrainingRecord } from './forecaster-package.js';
import type { ModelsContext } from './models-context.js';
import { parseSignatureFile, SIGNATURE_FILES } from './signature-file.js';

/** What a model directory of a run holds, by package path. */
export const ONNX_FILE = 'model.onnx';
export const FORECASTER_FILE = 'forecaster.json';
export const SUMMARY_FILE = 'summary.json';
export const TFJS_FILE = 'model.json';
const FORECASTER_KINDS = ['persistence', 'linear', 'lstm'] as const;
export type ForecasterKind = (typeof FORECASTER_KINDS)[number];

/** Reads a file of the run's model directory by package path; undefined when absent. */
export type ReadModelFile = (path: string) => Promise<Buffer | undefined>;

/** The kind and window of an mlops forecaster.json (`file` names it in errors). */
export function parseForecaster(
  text: string,
  file: string,
): { kind: ForecasterKind; windowSize: number } {
  let value: { kind?: unknown; windowSize?: unknown };
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    throw invalidParam(`${file} is not valid JSON.`, { file });
  }
  const kind = value.kind;
  if (typeof kind !== 'string' || !(FORECASTER_KINDS as readonly string[]).includes(kind)) {
    throw invalidParam(
      `${file}: key 'kind' must be one of ${FORECASTER_KINDS.join(', ')}, got ${JSON.stringify(kind)}.`,
      { file },
    );
  }
  const windowSize = value.windowSize;
  if (typeof windowSize !== 'number' || !Number.isInteger(windowSize) || windowSize < 2) {
    throw invalidParam(
      `${file}: key 'windowSize' must be an integer >= 2, got ${JSON.stringify(windowSize)}.`,
      { file },
    );
  }
  return { kind: kind as ForecasterKind, windowSize };
}

/** Data source, sha256, rows and training dates from the run's tags and params, or summary.json. */
export async function trainingRecord(
  run: Run,
  read: ReadModelFile,
  summaryFile: string,
): Promise<TrainingRecord> {
  const tags = run.data.tags;
  const summaryBytes = await read(SUMMARY_FILE);
  let summary: { data?: { path?: string; sha256?: string; rows?: number } } = {};
  if (summaryBytes) {
    try {
      summary = JSON.parse(summaryBytes.toString('utf8')) as typeof summary;
    } catch {
      throw invalidParam(`${summaryFile} is not valid JSON.`);
    }
  }
  const source = tags['data.source'] ?? summary.data?.path;
  const sha256 = tags['data.sha256'] ?? summary.data?.sha256;
  if (!source || !sha256) {
    throw invalidParam(
      `Run ${run.info.runId} does not say which data it trained on (tags data.source and data.sha256, or ${summaryFile}); train with \`mlops forecast train\` or a forecast/train stage.`,
    );
  }
  const rowsParam = run.data.params['rows'];
  const rows = rowsParam !== undefined ? Number(rowsParam) : summary.data?.rows;
  const trainDates = tags['data.train_range'];
  return {
    source,
    sha256,
    ...(rows === undefined ? {} : { rows }),
    ...(trainDates === undefined ? {} : { trainDates }),
  };
}

export async function externalSignature(
  read: ReadModelFile,
  prefix: string,
): Promise<ModelSignature> {
  for (const file of SIGNATURE_FILES) {
    const bytes = await read(file);
    if (bytes) return parseSignatureFile(bytes.toString('utf8'), `${prefix}/${file}`);
  }
  throw invalidParam(
    `${prefix}/${ONNX_FILE} has no declared signature: log ${prefix}/signature.json as {"inputs": [{"name": "closes", "dtype": "float32", "shape": [-1, 30]}], "outputs": [{"name": "next_close", "dtype": "float32", "shape": [-1, 1]}]} (or an MLflow MLmodel with a signature) beside it.`,
  );
}

/**
 * The dataset manifests of packages already registered from `runId`: they keep the run's data
 * version reachable (and gc-rooted) after the working file moved on.
 */
export async function knownDatasets(ctx: ModelsContext, runId: string): Promise<string[]> {
  const page = await ctx.registry.searchModelVersions({ filter: `run_id = '${runId}'` });
  const ids: string[] = [];
  for (const v of page.items) {
    if (!v.packageHash) continue;
    try {
      const text = (await readStoredFile(ctx.client.blobs, v.packageHash)).toString('utf8');
      const id = parseModelManifest(text, v.packageHash).dataset?.manifest_id;
      if (id) ids.push(id);
    } catch {
      // A damaged earlier package only means one fewer place to look.
    }
  }
  return ids;
}
