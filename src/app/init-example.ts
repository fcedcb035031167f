import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MlopsError, invalidParam } from '../core/index.js';
import { connect } from './connect.js';
import { dataImportJob, type DataImportResult } from './data-import-jobs.js';
import { workspacePaths } from './workspace.js';

/** The examples `mlops init --example` knows. */
export const EXAMPLES = ['stock-forecast'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

export interface InitExampleOptions {
  readonly example: string;
  /** `full` (default): every row; `quick`: the most recent 1,500 rows and few LSTM epochs. */
  readonly preset?: string;
  /** Daily price CSV (path or URL) to import instead of the embedded S&P 500 data. */
  readonly data?: string;
  /** Where the ingestion run goes; default MLOPS_TRACKING_URI, else the new workspace's store. */
  readonly trackingUri?: string;
  readonly progress?: (line: string) => void;
}

export interface InitExampleReport {
  readonly root: string;
  readonly example: ExampleName;
  readonly preset: 'full' | 'quick';
  /** Workspace-relative files written (the data import's pointer included). */
  readonly files: readonly string[];
  /** The import of the prices into data/prices.csv (versioned, with its ingestion run). */
  readonly ingestion: DataImportResult;
}

const PIPELINE_FILES = ['mlops.yaml', 'params.yaml'] as const;
/** Written beside the pipeline unless one is there already (it is not part of the pipeline). */
const MONITOR_FILE = 'monitor.yaml';

/**
 * `mlops init` without an example: makes `dir` a workspace (its `.mlops/` state directory,
 * ignored by git). Returns false when it already was one.
 */
export async function initWorkspace(dir: string): Promise<{ root: string; created: boolean }> {
  const root = resolve(dir);
  const { stateDir } = workspacePaths(root);
  const created = !existsSync(stateDir);
  await (await import('../data/index.js')).ignoreStateDir(stateDir);
  return { root, created };
}

/**
 * `mlops init --example stock-forecast`: a workspace at `dir` with the example pipeline. Imports
 * the embedded daily prices (or `data`) into a versioned `data/prices.csv` through the data
 * contract, then writes `params.yaml` (the preset and each model's params) and `mlops.yaml`
 * (validate -> train per model -> evaluate -> register) and `monitor.yaml` (kept when one
 * exists). Refuses to overwrite an existing mlops.yaml or
 * params.yaml; `mlops repro` runs the pipeline.
 */
export async function initExample(
  dir: string,
  options: InitExampleOptions,
): Promise<InitExampleReport> {
  const example = parseExample(options.example);
  const preset = parsePreset(options.preset);
  const root = resolve(dir);
  for (const name of PIPELINE_FILES) {
    if (existsSync(join(root, name))) {
      throw new MlopsError(
        'RESOURCE_ALREADY_EXISTS',
        `${join(root, name)} already exists; \`mlops init --example\` writes a new pipeline and never overwrites one. Choose another directory with --dir, or move mlops.yaml and params.yaml away first.`,
        { details: { file: name } },
      );
    }
  }
  const template = await import('./example/stock-forecast.js');
  const { ignoreStateDir } = await import('../data/index.js');
  // The state directory first: it makes `root` the workspace even inside another one.
  await ignoreStateDir(workspacePaths(root).stateDir);

  const source = options.data === undefined ? await embeddedPrices() : sourceOf(options.data);
  options.progress?.(`importing ${source} into ${template.EXAMPLE_DATA}...`);
  const client = await connect(options.trackingUri, { cwd: root });
  let ingestion: DataImportResult;
  try {
    ingestion = await dataImportJob(client, { source, into: template.EXAMPLE_DATA, cwd: root });
  } finally {
    await client.close();
  }

  const models = await modelParams(preset);
  const window = Math.max(...Object.values(models).map((p) => Number(p['window'])));
  // `wx`: never replace a file that appeared since the check above.
  await writeFile(
    join(root, 'params.yaml'),
    template.stockForecastParams({ preset, window, models }),
    { flag: 'wx' },
  );
  await writeFile(join(root, 'mlops.yaml'), template.STOCK_FORECAST_PIPELINE, { flag: 'wx' });
  const monitor = !existsSync(join(root, MONITOR_FILE));
  if (monitor) await writeFile(join(root, MONITOR_FILE), template.STOCK_FORECAST_MONITOR);
  return {
    root,
    example,
    preset,
    files: [
      template.EXAMPLE_DATA,
      `${template.EXAMPLE_DATA}.mlops`,
      ...PIPELINE_FILES,
      ...(monitor ? [MONITOR_FILE] : []),
    ],
    ingestion,
  };
}

/** Each model's params as the forecasting module resolves them for the preset, snake_case keys. */
async function modelParams(preset: 'full' | 'quick') {
  const f = await import('../forecast/index.js');
  const params = (kind: 'persistence' | 'linear' | 'lstm') =>
    Object.fromEntries(
      Object.entries(f.resolveParams(kind, {}, preset === 'quick' ? 'quick' : undefined)).map(
        ([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value],
      ),
    );
  return { persistence: params('persistence'), linear: params('linear'), lstm: params('lstm') };
}

async function embeddedPrices(): Promise<string> {
  return (await import('../forecast/index.js')).defaultDatasetPath();
}

/** A path relative to the caller's working directory (not to the new workspace); URLs as given. */
function sourceOf(data: string): string {
  return /^(https?|file):/i.test(data) ? data : resolve(data);
}

function parseExample(name: string): ExampleName {
  if ((EXAMPLES as readonly string[]).includes(name)) return name as ExampleName;
  throw invalidParam(`Unknown example '${name}'; known examples: ${EXAMPLES.join(', ')}.`, {
    example: name,
  });
}

function parsePreset(preset: string | undefined): 'full' | 'quick' {
  if (preset === undefined || preset === 'full' || preset === 'quick') return preset ?? 'full';
  throw invalidParam(
    `--preset must be full (every row) or quick (the most recent 1,500 rows, few epochs); got '${preset}'.`,
  );
}
