import type { TrainForecastResult, ValidationReport } from '../forecast/index.js';
import { connect } from './connect.js';
import { forecastTrain, validateDataset } from './forecast-jobs.js';
import { showLineage } from './show-lineage.js';
import { workspacePaths, type WorkspacePaths } from './workspace.js';

export interface QuickstartReport {
  readonly workspace: WorkspacePaths;
  readonly dataset: string;
  readonly validation: ValidationReport;
  readonly validationText: string;
  /** One tracked run per model, in the order trained. */
  readonly results: readonly TrainForecastResult[];
  readonly lineage: string;
  readonly blobCount: number;
}

const MODELS = ['persistence', 'linear', 'lstm'] as const;

/**
 * The main job, phase by phase as they land. Today: create the workspace at `dir`, hold the
 * embedded daily prices (or `data`) to the data contract, train the two baselines and the LSTM
 * with the quick preset (the most recent 1,500 rows, few epochs) as tracked runs, and report the
 * comparison and the LSTM run's lineage.
 */
export async function quickstart(
  dir: string,
  options: { data?: string; progress?: (line: string) => void } = {},
): Promise<QuickstartReport> {
  const workspace = workspacePaths(dir);
  const { report: validation, text: validationText } = await validateDataset(options.data, {
    windowSize: 60,
  });
  const client = await connect(`sqlite:${workspace.database}`, {
    cwd: dir,
    artifactUri: workspace.blobs,
  });
  try {
    const results: TrainForecastResult[] = [];
    for (const model of MODELS) {
      options.progress?.(`training ${model} (quick preset)...`);
      results.push(
        await forecastTrain(client, {
          model,
          preset: 'quick',
          experiment: 'quickstart',
          ...(options.data ? { data: options.data } : {}),
          ...(options.progress ? { progress: options.progress } : {}),
        }),
      );
    }
    const last = results[results.length - 1];
    const lineage = last ? (await showLineage(client, `runs:/${last.runId}`, 2)).text : '';
    let blobCount = 0;
    for await (const _ of client.blobs.list()) blobCount++;
    return {
      workspace,
      dataset: validation.source ?? options.data ?? '',
      validation,
      validationText,
      results,
      lineage,
      blobCount,
    };
  } finally {
    await client.close();
  }
}
