import { nowMs } from '../../core/index.js';
import type { StepContext } from '../../pipeline/index.js';
import { Limits, type KeyValue, type Metric, type TrackingClient } from '../../tracking/index.js';
import { connect } from '../connect.js';

/** What a step logs into its stage's tracking run. */
export interface StageRunRecord {
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  readonly tags?: Readonly<Record<string, string>>;
  /** Points with their step (epoch), all stamped with the same time. */
  readonly metrics?: readonly { key: string; value: number; step?: number }[];
  /** Directories stored as artifacts of the run: artifact path -> local directory. */
  readonly artifacts?: Readonly<Record<string, string>>;
}

/**
 * Step params are logged under this prefix: the scheduler logs the stage's params.yaml keys
 * into the same run afterwards, and a run's param may not change value, so the two never share
 * a key.
 */
export const STEP_PARAM_PREFIX = 'step.';

/**
 * Logs into the stage's existing run (`MLOPS_RUN_ID`, a child of the pipeline run, opened by
 * the scheduler), through the store and byte store that `MLOPS_TRACKING_URI` and
 * `MLOPS_ARTIFACT_URI` name. Without a run id (a step run by hand) nothing is tracked: the run
 * belongs to the scheduler, which also records the outs, metrics files, status and duration.
 */
export async function logToStageRun(ctx: StepContext, record: StageRunRecord): Promise<void> {
  if (ctx.runId === undefined) return;
  const runId = ctx.runId;
  const client = await connect(undefined, { cwd: ctx.root });
  try {
    await logBatches(client, runId, record);
    for (const [path, dir] of Object.entries(record.artifacts ?? {})) {
      await client.logArtifacts(runId, dir, path);
    }
  } finally {
    await client.close();
  }
}

async function logBatches(client: TrackingClient, runId: string, record: StageRunRecord) {
  const params: KeyValue[] = Object.entries(record.params ?? {}).map(([key, value]) => ({
    key: `${STEP_PARAM_PREFIX}${key}`,
    value: String(value),
  }));
  const tags: KeyValue[] = Object.entries(record.tags ?? {}).map(([key, value]) => ({
    key,
    value,
  }));
  const timestamp = nowMs();
  const metrics: Metric[] = (record.metrics ?? [])
    .filter((m) => Number.isFinite(m.value))
    .map((m) => ({ key: m.key, value: m.value, step: m.step ?? 0, timestamp }));
  for (let i = 0; i < params.length; i += Limits.batchParams) {
    await client.store.logBatch(runId, { params: params.slice(i, i + Limits.batchParams) });
  }
  for (let i = 0; i < tags.length; i += Limits.batchTags) {
    await client.store.logBatch(runId, { tags: tags.slice(i, i + Limits.batchTags) });
  }
  for (let i = 0; i < metrics.length; i += Limits.batchMetrics) {
    await client.store.logBatch(runId, { metrics: metrics.slice(i, i + Limits.batchMetrics) });
  }
}
