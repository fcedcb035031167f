import type { ConditionResult, MetricMap } from '../checks/check-types.js';

/** One stored monitoring result over a window of served traffic. */
export interface MonitorSnapshot {
  readonly id: string;
  /** Epoch ms the snapshot was computed. */
  readonly createdAt: number;
  /** The monitor's name (from monitor.yaml; default the model name). */
  readonly monitor: string;
  readonly modelName?: string;
  readonly modelVersion?: string;
  /** The window of traffic it covers (epoch ms) and its size. */
  readonly windowStart?: number;
  readonly windowEnd?: number;
  readonly rows: number;
  readonly datasetDrift: boolean;
  readonly driftedShare: number;
  /** Every flat metric of the report. */
  readonly metrics: MetricMap;
  readonly checks: readonly ConditionResult[];
  /** true when every check passed (no fail, no error). */
  readonly passed: boolean;
  /** Where the full report was written, if it was. */
  readonly reportPath?: string;
}

export interface SnapshotQuery {
  readonly monitor?: string;
  readonly modelName?: string;
  readonly since?: number;
  readonly until?: number;
  /** Newest `limit` snapshots; results come newest first. */
  readonly limit?: number;
}

/** A retraining (or other long action) started by a snapshot; the lock and cooldown read these. */
export interface TriggerRecord {
  readonly id: string;
  readonly monitor: string;
  readonly snapshotId: string;
  readonly action: string;
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly status: 'running' | 'succeeded' | 'failed' | 'skipped';
  /** Why skipped (cooldown, already running) or failed. */
  readonly detail?: string;
  /** What it produced (a pipeline run id, …). */
  readonly runId?: string;
}

/**
 * Where snapshots and trigger records live: `SqlSnapshotStore` (SQLite, PostgreSQL).
 * `beginTrigger` is the lock: it atomically refuses (returns the blocking record) when a trigger
 * of the same monitor and action is running, or finished less than `cooldownMs` ago.
 */
export interface SnapshotStore {
  addSnapshot(snapshot: MonitorSnapshot): Promise<void>;
  getSnapshot(id: string): Promise<MonitorSnapshot | undefined>;
  listSnapshots(query?: SnapshotQuery): Promise<readonly MonitorSnapshot[]>;
  beginTrigger(
    record: Omit<TriggerRecord, 'status' | 'finishedAt'>,
    cooldownMs: number,
  ): Promise<{ started: true } | { started: false; blockedBy: TriggerRecord }>;
  finishTrigger(
    id: string,
    outcome: {
      status: 'succeeded' | 'failed';
      detail?: string;
      runId?: string;
      finishedAt?: number;
    },
  ): Promise<void>;
  listTriggers(query?: { monitor?: string; limit?: number }): Promise<readonly TriggerRecord[]>;
  close(): Promise<void>;
}
