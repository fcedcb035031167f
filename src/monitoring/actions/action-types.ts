import type { ConditionResult } from '../checks/check-types.js';
import type { MonitorReport } from '../report/report-types.js';
import type { MonitorSnapshot } from '../snapshots/snapshot-types.js';

/** What an action sees: the stored snapshot, its report and the checks that failed. */
export interface ActionContext {
  readonly snapshot: MonitorSnapshot;
  readonly report: MonitorReport;
  readonly failed: readonly ConditionResult[];
}

export interface ActionOutcome {
  readonly action: string;
  readonly status: 'succeeded' | 'failed' | 'skipped';
  readonly detail: string;
  /** A run the action started (retraining), for the snapshot -> run lineage edge. */
  readonly runId?: string;
}

/**
 * Something a failed check sets off: a webhook, a retraining. The monitoring module calls it; what
 * retraining means (import, repro, gate) is wired in by the application layer.
 */
export interface MonitorAction {
  readonly name: string;
  run(context: ActionContext): Promise<ActionOutcome>;
}
