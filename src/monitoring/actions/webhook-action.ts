import type { ConditionResult, MetricMap } from '../checks/check-types.js';
import type { ActionContext, ActionOutcome, MonitorAction } from './action-types.js';

export interface WebhookActionOptions {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Whole request, answer included. Default 5 s. */
  readonly timeoutMs?: number;
  /** fail (default): POST only when a check failed; always: after every run. */
  readonly on?: 'fail' | 'always';
  /** The action's name in outcomes. Default `webhook`. */
  readonly name?: string;
}

/** The JSON body the webhook receives (snake_case, stable). */
export interface WebhookPayload {
  readonly monitor: string;
  readonly snapshot_id: string;
  readonly model: { readonly name: string; readonly version: string } | null;
  /** ISO-8601 time the snapshot was computed. */
  readonly created_at: string;
  readonly passed: boolean;
  readonly failed_checks: readonly ConditionResult[];
  /** The failed checks' metrics and the data drift summary. */
  readonly metrics: MetricMap;
  readonly report_path: string | null;
}

/** Data drift summary metrics sent with every payload (when the report has them). */
const SUMMARY_METRICS = [
  'data_drift.dataset_drift',
  'data_drift.drifted_share',
  'data_drift.drifted_columns',
  'data_drift.tested_columns',
];

const EXCERPT_CHARS = 200;

/**
 * POSTs the snapshot's outcome as JSON (`WebhookPayload`) with global fetch. Never throws: a
 * non-2xx answer, a network error or the timeout is a `failed` outcome whose detail has the
 * status and the start of the body, or the error.
 */
export function webhookAction(options: WebhookActionOptions): MonitorAction {
  const name = options.name ?? 'webhook';
  const timeoutMs = options.timeoutMs ?? 5000;
  const on = options.on ?? 'fail';
  return {
    name,
    async run(context: ActionContext): Promise<ActionOutcome> {
      if (on === 'fail' && context.failed.length === 0) {
        return { action: name, status: 'skipped', detail: 'every check passed (webhook on: fail)' };
      }
      const failure = (detail: string): ActionOutcome => ({
        action: name,
        status: 'failed',
        detail: `POST ${options.url}: ${detail}`,
      });
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...options.headers },
          body: JSON.stringify(webhookPayload(context)),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = await response.text();
        if (!response.ok) {
          const excerpt = body.length > EXCERPT_CHARS ? `${body.slice(0, EXCERPT_CHARS)}…` : body;
          return failure(`HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`);
        }
        return {
          action: name,
          status: 'succeeded',
          detail: `POST ${options.url}: HTTP ${response.status}`,
        };
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        if (e.name === 'TimeoutError') return failure(`no answer within ${timeoutMs} ms`);
        return failure(e.cause?.message ?? e.cause?.code ?? e.message);
      }
    },
  };
}

/** The body a webhook receives for `context`. */
export function webhookPayload(context: ActionContext): WebhookPayload {
  const { snapshot, report, failed } = context;
  const metrics: Record<string, number | boolean | null> = {};
  for (const key of [...SUMMARY_METRICS, ...failed.map((c) => c.metric)]) {
    if (Object.hasOwn(snapshot.metrics, key)) metrics[key] = snapshot.metrics[key] ?? null;
  }
  return {
    monitor: snapshot.monitor,
    snapshot_id: snapshot.id,
    model: report.model
      ? { name: report.model.name, version: report.model.version }
      : snapshot.modelName !== undefined
        ? { name: snapshot.modelName, version: snapshot.modelVersion ?? '' }
        : null,
    created_at: new Date(snapshot.createdAt).toISOString(),
    passed: snapshot.passed,
    failed_checks: failed,
    metrics,
    report_path: snapshot.reportPath ?? null,
  };
}
