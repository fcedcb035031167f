import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MlopsError, gitInfo } from '../core/index.js';
import type { DataLog } from '../data/index.js';
import type { ValidationReport } from '../forecast/index.js';
import type { PipelineSpec, ReproEvent, ReproReport } from '../pipeline/index.js';
import type { TrackingClient } from '../tracking/index.js';
import { connect } from './connect.js';
import { dataLogJob } from './data-history-jobs.js';
import {
  IMPORT_CONTRACT_WINDOW,
  dataImportJob,
  type DataImportResult,
} from './data-import-jobs.js';
import { validateDataset } from './forecast-jobs.js';
import { initExample } from './init-example.js';
import { loadWorkspacePipeline, reproJob } from './pipeline-jobs.js';
import { openRegistry } from './connect.js';
import type { ChampionReport } from './promotion/index.js';
import type { QuickstartMonitoring } from './monitoring/replay-recent-days.js';
import { showLineage } from './show-lineage.js';
import { workspacePaths, type WorkspacePaths } from './workspace.js';

export interface QuickstartOptions {
  /** Daily price CSV (path or URL) instead of the embedded S&P 500 data. */
  readonly data?: string;
  /** Progress lines: the import, each stage started and its output. */
  readonly progress?: (line: string) => void;
}

export interface QuickstartReport {
  readonly workspace: WorkspacePaths;
  /** The prices imported: the embedded dataset's path, or `data`. */
  readonly dataset: string;
  /** Files `mlops init --example` wrote now; empty when an earlier quickstart left them. */
  readonly created: readonly string[];
  /** The `preset` the pipeline reads from params.yaml: `quick` as quickstart writes it. */
  readonly preset: string;
  /** The import of the prices into data/prices.csv (versioned, with its ingestion run). */
  readonly ingestion: DataImportResult;
  readonly validation: ValidationReport;
  readonly validationText: string;
  /** The first `mlops repro`. */
  readonly repro: ReproReport;
  /** `mlops repro` again: every stage skipped. */
  readonly reproAgain: ReproReport;
  /** What the evaluate stage wrote to metrics.json. */
  readonly metrics: QuickstartMetrics;
  /**
   * The `train@lstm` stage run that trained the current LSTM (the first repro's, or an earlier
   * quickstart's when it was skipped), whose lineage `lineage` shows.
   */
  readonly lineageRunId?: string;
  readonly lineage: string;
  /** `mlops data log data/prices.csv` after both repros. */
  readonly dataLog: DataLog;
  readonly blobCount: number;
  /** The git commit the workspace is at (none outside git): `params diff` compares with it. */
  readonly gitCommit?: string;
  /**
   * The registered model's champion after the register stage's promotion gate, with the
   * decision that put it there (absent only when the stage wrote no decision).
   */
  readonly champion?: ChampionReport;
  /**
   * The champion served and watched: the last 30 days replayed through /predict and /feedback,
   * then `mlops monitor run` (report under reports/, a snapshot). Absent without a champion.
   */
  readonly monitoring?: QuickstartMonitoring;
}

export interface QuickstartMetrics {
  readonly file: string;
  readonly testRows: number;
  /** First and last date of the test rows (from plots/predictions.csv). */
  readonly testRange?: { readonly first: string; readonly last: string };
  /** In the pipeline's order; non-finite values are absent (metrics.json drops them). */
  readonly models: readonly {
    readonly model: string;
    readonly metrics: Readonly<Record<string, number>>;
  }[];
  readonly best?: { readonly model: string; readonly rmse: number; readonly skill: number };
}

const METRICS_FILE = 'metrics.json';
const PREDICTIONS_FILE = 'plots/predictions.csv';
const LINEAGE_STAGE = 'train@lstm';
/** Where `mlops repro` tracks its runs by default, and the tag naming each stage run's stage. */
const PIPELINE_EXPERIMENT = 'pipeline';
const STAGE_TAG = 'mlops.stage';

/**
 * The main job, phase by phase as they land (DESIGN.md §8). Today: write the stock-forecast
 * example at `dir` with the quick preset (the embedded prices, or `data`, imported into a
 * versioned data/prices.csv; mlops.yaml; params.yaml), reproduce it with `mlops repro` (its
 * register stage registers the models and the promotion gate picks the champion), then
 * reproduce it again to show every stage skipped. A second quickstart in the same directory
 * keeps the files and re-runs the import (no new rows). Reports the comparison in metrics.json,
 * the champion and why, the LSTM stage run's lineage and the data log.
 */
export async function quickstart(
  dir: string,
  options: QuickstartOptions = {},
): Promise<QuickstartReport> {
  const workspace = workspacePaths(resolve(dir));
  const root = workspace.root;
  // The workspace's own store, whatever MLOPS_TRACKING_URI says: quickstart is self-contained.
  const trackingUri = `sqlite:${workspace.database}`;
  const source =
    options.data === undefined
      ? (await import('../forecast/index.js')).defaultDatasetPath()
      : sourceOf(options.data);
  // The example's template (and the yaml package behind it) loads only when quickstart runs.
  const { EXAMPLE_DATA, EXAMPLE_DECISION, EXAMPLE_MODELS } =
    await import('./example/stock-forecast.js');
  const stages = ['validate', ...EXAMPLE_MODELS.map((m) => `train@${m}`), 'evaluate', 'register'];
  const { created, ingestion } = await setUpExample(workspace, {
    source,
    stages,
    data: EXAMPLE_DATA,
    trackingUri,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const preset = presetOf(await examplePipeline(root, stages));
  const { report: validation, text: validationText } = await validateDataset(
    join(root, EXAMPLE_DATA),
    { windowSize: IMPORT_CONTRACT_WINDOW },
  );

  const onEvent = options.progress ? progressLines(options.progress) : undefined;
  const repro = async (label: string) => {
    options.progress?.(label);
    const report = await reproJob({
      cwd: root,
      trackingUri,
      ...(onEvent === undefined ? {} : { onEvent }),
    });
    if (report.failed) throw stageFailed(report, root);
    return report;
  };
  const first = await repro('mlops repro...');
  const again = await repro('mlops repro (again)...');
  const metrics = await readMetrics(root);

  const client = await connect(trackingUri, { cwd: root, artifactUri: workspace.blobs });
  let lineageRunId: string | undefined;
  let lineage = '';
  let blobCount = 0;
  let champion: ChampionReport | undefined;
  try {
    const { readChampion } = await import('./promotion/index.js');
    champion = await readChampion(await openRegistry(client), root, EXAMPLE_DECISION);
    lineageRunId = await producingRun(client, first, LINEAGE_STAGE);
    if (lineageRunId !== undefined) {
      lineage = (await showLineage(client, `runs:/${lineageRunId}`, 2)).text;
    }
    for await (const _ of client.blobs.list()) blobCount++;
  } finally {
    await client.close();
  }
  const monitoring =
    champion?.version !== undefined
      ? await watchChampion(
          root,
          trackingUri,
          `models:/${champion.model}@${champion.alias}`,
          options.progress,
        )
      : undefined;
  // The dataset's versions and the runs that used each (opens its own connection).
  const dataLog = await dataLogJob(EXAMPLE_DATA, { cwd: root, trackingUri });
  const git = await gitInfo(root);
  return {
    workspace,
    dataset: source,
    created,
    preset,
    ingestion,
    validation,
    validationText,
    repro: first,
    reproAgain: again,
    metrics,
    ...(lineageRunId === undefined ? {} : { lineageRunId }),
    lineage,
    dataLog,
    blobCount,
    ...(git ? { gitCommit: git.commit } : {}),
    ...(champion ? { champion } : {}),
    ...(monitoring ? { monitoring } : {}),
  };
}

/**
 * Serves the champion, replays the last 30 days through it with feedback, and runs the
 * example's monitor.yaml (written by init; an older workspace gets it now).
 */
async function watchChampion(
  root: string,
  trackingUri: string,
  model: string,
  progress?: (line: string) => void,
): Promise<QuickstartMonitoring> {
  const { EXAMPLE_DATA, EXAMPLE_MONITOR, STOCK_FORECAST_MONITOR } =
    await import('./example/stock-forecast.js');
  if (!existsSync(join(root, EXAMPLE_MONITOR))) {
    await writeFile(join(root, EXAMPLE_MONITOR), STOCK_FORECAST_MONITOR);
  }
  const { replayRecentDays } = await import('./monitoring/replay-recent-days.js');
  return replayRecentDays({
    root,
    trackingUri,
    model,
    data: EXAMPLE_DATA,
    config: EXAMPLE_MONITOR,
    days: 30,
    ...(progress ? { progress } : {}),
  });
}

/**
 * `mlops init --example stock-forecast --preset quick` on a new workspace; on one that holds the
 * example already (an earlier quickstart), the files are kept and only the import runs again.
 */
async function setUpExample(
  workspace: WorkspacePaths,
  options: {
    source: string;
    stages: readonly string[];
    data: string;
    trackingUri: string;
    progress?: (line: string) => void;
  },
): Promise<{ created: readonly string[]; ingestion: DataImportResult }> {
  const { root } = workspace;
  const { source, trackingUri, progress } = options;
  if (!existsSync(join(root, 'mlops.yaml'))) {
    const init = await initExample(root, {
      example: 'stock-forecast',
      preset: 'quick',
      data: source,
      trackingUri,
      ...(progress ? { progress } : {}),
    });
    return { created: init.files, ingestion: init.ingestion };
  }
  // Another pipeline is refused before anything is imported into its workspace.
  await examplePipeline(root, options.stages);
  progress?.(`importing ${source} into ${options.data}...`);
  const client = await connect(trackingUri, { cwd: root, artifactUri: workspace.blobs });
  try {
    return {
      created: [],
      ingestion: await dataImportJob(client, { source, into: options.data, cwd: root }),
    };
  } finally {
    await client.close();
  }
}

/**
 * The run of `stage` that wrote its current outs: this repro's when the stage ran or was
 * restored, else (skipped: an earlier quickstart trained it) the newest such run of the
 * pipeline experiment.
 */
async function producingRun(
  client: TrackingClient,
  report: ReproReport,
  stage: string,
): Promise<string | undefined> {
  const produced = (status: string | undefined) => status === 'ran' || status === 'cache-hit';
  const entry = report.stages.find((s) => s.name === stage);
  if (entry?.runId !== undefined && produced(entry.status)) return entry.runId;
  const runs = await client.searchRuns({
    experimentIds: [(await client.findExperiment(PIPELINE_EXPERIMENT)).experimentId],
    filter: `tags.\`${STAGE_TAG}\` = '${stage}'`,
    orderBy: ['attributes.start_time DESC'],
    maxResults: 100,
  });
  return runs.items.find((r) => produced(r.data.tags[`${STAGE_TAG}.status`]))?.info.runId;
}

/** A path relative to the caller's working directory (not to the workspace); URLs as given. */
function sourceOf(data: string): string {
  return /^(https?|file):/i.test(data) ? data : resolve(data);
}

/** The workspace's pipeline; refuses one that is not the example (has not all its `stages`). */
async function examplePipeline(root: string, stages: readonly string[]): Promise<PipelineSpec> {
  const { spec } = await loadWorkspacePipeline(root);
  const names = new Set(spec.stages.map((s) => s.name));
  const missing = stages.filter((s) => !names.has(s));
  if (missing.length === 0) return spec;
  throw new MlopsError(
    'RESOURCE_ALREADY_EXISTS',
    `${join(root, 'mlops.yaml')} is not the stock-forecast example (no stage ${missing.map((s) => `'${s}'`).join(', ')}); quickstart does not run another pipeline. Run it in a new directory: mlops quickstart --dir <new-dir>.`,
    { details: { file: 'mlops.yaml', missing } },
  );
}

/** The `preset` param the evaluate stage reads (`full` when params.yaml names none). */
function presetOf(spec: PipelineSpec): string {
  const evaluate = spec.stages.find((s) => s.name === 'evaluate');
  const value = evaluate?.params.find((p) => p.key === 'preset')?.value;
  return typeof value === 'string' ? value : 'full';
}

/** Repro events as progress lines: each stage as it starts, then its output. */
function progressLines(progress: (line: string) => void): (event: ReproEvent) => void {
  return (event) => {
    if (event.type === 'start') {
      progress(`running stage '${event.stage}' (${event.reasons.join('; ')})`);
    } else if (event.type === 'line') {
      progress(`  [${event.stage}] ${event.line}`);
    }
  };
}

function stageFailed(report: ReproReport, root: string): MlopsError {
  const f = report.failed;
  const why = f?.error ?? `exit code ${f?.exitCode ?? '?'}`;
  return new MlopsError(
    'STAGE_FAILED',
    `Stage '${f?.name ?? '?'}' failed (${why})${f?.logFile ? `; its log: ${join(root, f.logFile)}` : ''}. Fix it and run \`mlops repro\` in ${root}: finished stages are kept.`,
    { details: { stage: f?.name, ...(f?.logFile ? { log: f.logFile } : {}) } },
  );
}

/** metrics.json as the evaluate stage writes it, models in the order written. */
async function readMetrics(root: string): Promise<QuickstartMetrics> {
  const tree = JSON.parse(await readFile(join(root, METRICS_FILE), 'utf8')) as Record<
    string,
    unknown
  >;
  const models: { model: string; metrics: Record<string, number> }[] = [];
  for (const [model, value] of Object.entries(tree)) {
    if (model === 'best' || typeof value !== 'object' || value === null) continue;
    models.push({ model, metrics: value as Record<string, number> });
  }
  const best = tree['best'] as QuickstartMetrics['best'];
  const testRange = await predictionDates(join(root, PREDICTIONS_FILE));
  return {
    file: METRICS_FILE,
    testRows: Number(tree['test_rows'] ?? 0),
    ...(testRange ? { testRange } : {}),
    models,
    ...(best ? { best } : {}),
  };
}

/** The first and last date column of the predictions table (header, then one row per date). */
async function predictionDates(file: string): Promise<QuickstartMetrics['testRange']> {
  const lines = (await readFile(file, 'utf8').catch(() => '')).trim().split('\n').slice(1);
  const date = (line: string | undefined) => line?.split(',')[0] ?? '';
  const first = date(lines[0]);
  const last = date(lines[lines.length - 1]);
  return first && last ? { first, last } : undefined;
}
