import { MlflowTracking as T, metricToWire } from '../../api/index.js';
import { invalidParam } from '../../core/index.js';
import type { Metric } from '../../tracking/index.js';
import { route, type JsonRoute } from '../mount-routes.js';
import type { ServerContext } from '../server-context.js';

/** MLflow's UI caps: 100 runs a request; default 320 points a run (get_metric_history_bulk_interval). */
const BULK_MAX_RUNS = 100;
const BULK_DEFAULT_POINTS = 320;
const BULK_MAX_POINTS = 1000;

export function metricRoutes(ctx: ServerContext): JsonRoute[] {
  const { store, access } = ctx;
  return [
    route({
      method: 'GET',
      path: '/mlflow/metrics/get-history',
      summary: 'All points of one metric of a run (paged when max_results is given)',
      schema: T.GetMetricHistory,
      async handler(input, request) {
        const runId = input.run_id || input.run_uuid;
        if (!runId) throw invalidParam("Missing value for required parameter 'run_id'.");
        await access.requireRun(request, runId, 'READ');
        const page = await store.getMetricHistory(runId, input.metric_key, {
          ...(input.max_results !== undefined ? { maxResults: input.max_results } : {}),
          ...(input.page_token !== undefined ? { pageToken: input.page_token } : {}),
        });
        return {
          ...(page.items.length > 0 ? { metrics: page.items.map(metricToWire) } : {}),
          ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
        };
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/metrics/get-history-bulk-interval',
      summary: 'One metric of several runs, sampled to at most max_results steps (UI charts)',
      schema: T.GetMetricHistoryBulkInterval,
      async handler(input, request) {
        if (input.run_ids.length === 0 || input.run_ids.length > BULK_MAX_RUNS) {
          throw invalidParam(`run_ids must list between 1 and ${BULK_MAX_RUNS} runs.`);
        }
        const maxResults = input.max_results ?? BULK_DEFAULT_POINTS;
        if (maxResults < 1 || maxResults > BULK_MAX_POINTS) {
          throw invalidParam(`max_results must be between 1 and ${BULK_MAX_POINTS}.`);
        }
        const histories = new Map<string, Metric[]>();
        for (const runId of input.run_ids) {
          await access.requireRun(request, runId, 'READ');
          const page = await store.getMetricHistory(runId, input.metric_key);
          histories.set(
            runId,
            page.items.filter(
              (m) =>
                (input.start_step === undefined || m.step >= input.start_step) &&
                (input.end_step === undefined || m.step <= input.end_step),
            ),
          );
        }
        const steps = sampleSteps(
          [...new Set([...histories.values()].flat().map((m) => m.step))].sort((a, b) => a - b),
          maxResults,
        );
        const metrics = [];
        for (const [runId, points] of histories) {
          for (const m of points) {
            if (steps.has(m.step)) metrics.push({ ...metricToWire(m), run_id: runId });
          }
        }
        metrics.sort(
          (a, b) =>
            a.run_id.localeCompare(b.run_id) || a.step - b.step || a.timestamp - b.timestamp,
        );
        return metrics.length > 0 ? { metrics } : {};
      },
    }),
  ];
}

/** At most `max` steps evenly spread over the sorted `steps`, always keeping the first and last. */
function sampleSteps(steps: readonly number[], max: number): Set<number> {
  if (steps.length <= max) return new Set(steps);
  const picked = new Set<number>();
  for (let i = 0; i < max; i++) {
    picked.add(steps[Math.round((i * (steps.length - 1)) / Math.max(1, max - 1))]!);
  }
  return picked;
}
