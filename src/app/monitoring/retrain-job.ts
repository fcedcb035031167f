import { resolve } from 'node:path';
import { MlopsError } from '../../core/index.js';
import type { TrackingClient } from '../../tracking/index.js';
import { openRegistry } from '../connect.js';
import { dataImportJob } from '../data-import-jobs.js';
import { parseModelUri } from '../models/index.js';
import { reproJob } from '../pipeline-jobs.js';

export interface RetrainJob {
  readonly client: TrackingClient;
  /** The workspace whose pipeline retrains. */
  readonly root: string;
  readonly trackingUri?: string;
  /** Where new rows come from (path relative to `root`, file: or http(s) URL) and where they go. */
  readonly source: string;
  readonly into: string;
  readonly mergeKey?: string;
  /** The served model (`models:/name@alias`): its alias is reported before and after. */
  readonly model?: string;
  readonly progress?: (line: string) => void;
}

/**
 * The retraining a failed check sets off: `mlops data import` of the configured source into the
 * pipeline's data (contract-checked, versioned, an ingestion run), then `mlops repro`, whose
 * register stage registers the new models and runs the promotion gate. A prediction server that
 * follows the alias swaps by itself. Returns the pipeline run (for the snapshot -> run lineage
 * edge) and what happened, in one line.
 *
 * @throws MlopsError STAGE_FAILED when a stage fails (the action reports it as failed).
 */
export async function retrain(job: RetrainJob): Promise<{ runId?: string; detail: string }> {
  const source = /^(https?|file):/i.test(job.source) ? job.source : resolve(job.root, job.source);
  job.progress?.(`retraining: importing ${job.source} into ${job.into}...`);
  const imported = await dataImportJob(job.client, {
    source,
    into: job.into,
    cwd: job.root,
    ...(job.mergeKey === undefined ? {} : { mergeKey: job.mergeKey }),
  });
  const before = await aliasVersion(job);
  job.progress?.('retraining: mlops repro...');
  const report = await reproJob({
    cwd: job.root,
    ...(job.trackingUri === undefined ? {} : { trackingUri: job.trackingUri }),
  });
  if (report.failed) {
    const f = report.failed;
    throw new MlopsError(
      'STAGE_FAILED',
      `retraining: stage '${f.name}' failed (${f.error ?? `exit code ${f.exitCode ?? '?'}`})${f.logFile ? `; its log: ${resolve(job.root, f.logFile)}` : ''}.`,
      {
        details: {
          stage: f.name,
          ...(report.pipelineRunId ? { runId: report.pipelineRunId } : {}),
        },
      },
    );
  }
  const after = await aliasVersion(job);
  const ran = report.stages.filter((s) => s.status === 'ran').length;
  const parts = [
    `imported ${imported.rowsAdded} new rows into ${job.into} (${imported.rowsTotal} rows, version ${imported.sha256.slice(0, 12)})`,
    `repro ran ${ran} of ${report.stages.length} stages${report.pipelineRunId ? ` (pipeline run ${report.pipelineRunId})` : ''}`,
  ];
  if (before !== undefined || after !== undefined) {
    parts.push(
      before === after
        ? `${job.model} stays at version ${after ?? 'none'}`
        : `${job.model} moved from version ${before ?? 'none'} to ${after ?? 'none'}`,
    );
  }
  return {
    ...(report.pipelineRunId === undefined ? {} : { runId: report.pipelineRunId }),
    detail: parts.join('; '),
  };
}

/** The version the served alias points at now (undefined without one, or for a version URI). */
async function aliasVersion(job: RetrainJob): Promise<string | undefined> {
  if (job.model === undefined) return undefined;
  const parsed = parseModelUri(job.model);
  if (parsed.scheme !== 'models' || !('alias' in parsed)) return undefined;
  const registry = await openRegistry(job.client);
  try {
    return (await registry.getVersionByAlias(parsed.name, parsed.alias)).version;
  } catch {
    return undefined;
  } finally {
    await registry.close();
  }
}
