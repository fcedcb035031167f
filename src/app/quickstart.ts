import { join } from 'node:path';
import type { DataLog } from '../data/index.js';
import type { TrainForecastResult, ValidationReport } from '../forecast/index.js';
import { connect } from './connect.js';
import { dataLogJob } from './data-history-jobs.js';
import { dataImportJob, type DataImportResult } from './data-import-jobs.js';
import { forecastTrain, validateDataset } from './forecast-jobs.js';
import { showLineage } from './show-lineage.js';
import { workspacePaths, type WorkspacePaths } from './workspace.js';

export interface QuickstartReport {
  readonly workspace: WorkspacePaths;
  readonly dataset: string;
  readonly validation: ValidationReport;
  readonly validationText: string;
  /** The import of the embedded prices into `data/prices.csv` (versioned, with its ingestion run). */
  readonly ingestion: DataImportResult;
  /** `mlops data log data/prices.csv` after training. */
  readonly dataLog: DataLog;
  /** One tracked run per model, in the order trained. */
  readonly results: readonly TrainForecastResult[];
  readonly lineage: string;
  readonly blobCount: number;
}

const MODELS = ['persistence', 'linear', 'lstm'] as const;
/** Where the quickstart keeps its versioned prices, as DESIGN.md §8 names it. */
export const QUICKSTART_DATA = 'data/prices.csv';

/**
 * The main job, phase by phase as they land. Today: create the workspace at `dir`, import the
 * embedded daily prices (or `data`) into data/prices.csv (contract-checked and versioned), train
 * the two baselines and the LSTM on it with the quick preset (the most recent 1,500 rows, few
 * epochs) as tracked runs, and report the comparison, the LSTM run's lineage and the data log.
 */
export async function quickstart(
  dir: string,
  options: { data?: string; progress?: (line: string) => void } = {},
): Promise<QuickstartReport> {
  const workspace = workspacePaths(dir);
  const client = await connect(`sqlite:${workspace.database}`, {
    cwd: dir,
    artifactUri: workspace.blobs,
  });
  try {
    // 1. Ingest: merge the embedded prices (or `data`) into data/prices.csv, hold them to the
    // contract, version them (pointer + chunks) and record the ingestion run.
    options.progress?.(`importing prices into ${QUICKSTART_DATA}...`);
    const source = options.data ?? (await import('../forecast/index.js')).defaultDatasetPath();
    const ingestion = await dataImportJob(client, { source, into: QUICKSTART_DATA, cwd: dir });
    const prices = join(dir, QUICKSTART_DATA);
    const { report: validation, text: validationText } = await validateDataset(prices, {
      windowSize: 60,
    });
    // 2. Train the baselines and the LSTM on the versioned file, each a tracked run.
    const results: TrainForecastResult[] = [];
    for (const model of MODELS) {
      options.progress?.(`training ${model} (quick preset)...`);
      results.push(
        await forecastTrain(client, {
          model,
          preset: 'quick',
          experiment: 'quickstart',
          data: prices,
          ...(options.progress ? { progress: options.progress } : {}),
        }),
      );
    }
    const last = results[results.length - 1];
    const lineage = last ? (await showLineage(client, `runs:/${last.runId}`, 2)).text : '';
    let blobCount = 0;
    for await (const _ of client.blobs.list()) blobCount++;
    await client.close();
    // 3. The dataset's versions and the runs that used each (opens its own connection).
    const dataLog = await dataLogJob(QUICKSTART_DATA, {
      cwd: dir,
      trackingUri: `sqlite:${workspace.database}`,
    });
    return {
      workspace,
      dataset: source,
      validation,
      validationText,
      ingestion,
      dataLog,
      results,
      lineage,
      blobCount,
    };
  } finally {
    await client.close().catch(() => undefined);
  }
}
