import { randomUUID } from 'node:crypto';
import { nowMs } from '../../core/index.js';
import { blockReason } from '../snapshots/sql-snapshot-store.js';
import type { SnapshotStore } from '../snapshots/snapshot-types.js';
import type { ActionContext, ActionOutcome, MonitorAction } from './action-types.js';

/** What the retraining callback sees: the action's context and the trigger it runs under. */
export interface RetrainContext extends ActionContext {
  readonly triggerId: string;
}

export interface RetrainActionOptions {
  readonly store: SnapshotStore;
  /** No new retraining until this long after the last one finished. */
  readonly cooldownMs: number;
  /** The retraining itself (import, repro, gate: wired in by the application layer). */
  readonly retrain: (context: RetrainContext) => Promise<{ runId?: string; detail: string }>;
  /** The action's name, and the trigger records' `action`. Default `retrain`. */
  readonly name?: string;
}

/**
 * Retraining behind a lock and a cooldown: `store.beginTrigger` starts a trigger (or refuses:
 * one running, or one finished within the cooldown) and only then the callback runs. Never
 * throws: a refusal is `skipped` with the reason, a callback error is `failed` with its
 * message, and the trigger is always finished, so the lock is released.
 */
export function retrainAction(options: RetrainActionOptions): MonitorAction {
  const name = options.name ?? 'retrain';
  return {
    name,
    async run(context: ActionContext): Promise<ActionOutcome> {
      if (context.failed.length === 0) {
        return { action: name, status: 'skipped', detail: 'every check passed' };
      }
      const triggerId = randomUUID();
      try {
        const begun = await options.store.beginTrigger(
          {
            id: triggerId,
            monitor: context.snapshot.monitor,
            snapshotId: context.snapshot.id,
            action: name,
            startedAt: nowMs(),
          },
          options.cooldownMs,
        );
        if (!begun.started) {
          return {
            action: name,
            status: 'skipped',
            detail: blockReason(begun.blockedBy, options.cooldownMs),
          };
        }
      } catch (err) {
        return {
          action: name,
          status: 'failed',
          detail: `could not take the trigger lock: ${message(err)}`,
        };
      }
      let outcome: ActionOutcome;
      try {
        const result = await options.retrain({ ...context, triggerId });
        outcome = {
          action: name,
          status: 'succeeded',
          detail: result.detail,
          ...(result.runId !== undefined ? { runId: result.runId } : {}),
        };
      } catch (err) {
        const runId = runIdOf(err);
        outcome = {
          action: name,
          status: 'failed',
          detail: message(err),
          ...(runId !== undefined ? { runId } : {}),
        };
      }
      try {
        await options.store.finishTrigger(triggerId, {
          status: outcome.status === 'succeeded' ? 'succeeded' : 'failed',
          detail: outcome.detail,
          ...(outcome.runId !== undefined ? { runId: outcome.runId } : {}),
        });
      } catch (err) {
        // The outcome stands; the trigger row stays running until it is taken for stale.
        return {
          ...outcome,
          detail: `${outcome.detail} (could not record the end of trigger ${triggerId}: ${message(err)})`,
        };
      }
      return outcome;
    },
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A run the failing callback names in its error details (a pipeline run that failed). */
function runIdOf(err: unknown): string | undefined {
  const details = (err as { details?: { runId?: unknown } } | null)?.details;
  return typeof details?.runId === 'string' ? details.runId : undefined;
}
