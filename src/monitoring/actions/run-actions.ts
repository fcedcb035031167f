import type { ActionContext, ActionOutcome, MonitorAction } from './action-types.js';

/**
 * Runs `actions` one after another (a webhook before a long retraining) and collects their
 * outcomes. Never throws: an action that throws anyway is a `failed` outcome.
 */
export async function runActions(
  actions: readonly MonitorAction[],
  context: ActionContext,
): Promise<ActionOutcome[]> {
  const outcomes: ActionOutcome[] = [];
  for (const action of actions) {
    try {
      outcomes.push(await action.run(context));
    } catch (err) {
      outcomes.push({
        action: action.name,
        status: 'failed',
        detail: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return outcomes;
}
