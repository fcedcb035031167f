/** What a failed check sets off: a webhook, a retraining behind a lock and a cooldown. */
export type { ActionContext, ActionOutcome, MonitorAction } from './action-types.js';
export {
  webhookAction,
  webhookPayload,
  type WebhookActionOptions,
  type WebhookPayload,
} from './webhook-action.js';
export { retrainAction, type RetrainActionOptions, type RetrainContext } from './retrain-action.js';
export { runActions } from './run-actions.js';
