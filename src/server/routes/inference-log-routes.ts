import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InferenceLog as W } from '../../api/index.js';
import { MlopsError, invalidParam } from '../../core/index.js';
import type { InferenceLogStore, InferenceQuery } from '../../serving/index.js';
import type { Access } from '../access.js';
import { mountJsonRoutes, route } from '../mount-routes.js';
import type { ServerContext } from '../server-context.js';

const PREFIX = '/api/mlops';
/**
 * A POST carries up to 10 000 records; one with a 60-close window is about 1.5 KB of JSON, so the
 * server-wide 1 MB limit would cut a batch of ~600.
 */
export const INFERENCE_LOG_BODY_LIMIT = 16 << 20;

/**
 * The inference log over HTTP, for prediction servers and monitors on other hosts:
 * POST/GET /api/mlops/inference-log and /api/mlops/feedback (snake_case JSON). Mount it with
 * `buildServer(stores, { plugins: [inferenceLogRoutes(store)] })`.
 *
 * With --auth: writing needs EDIT on every model the records name (feedback must then name its
 * model), reading needs READ on the queried model; admins may leave the model out.
 */
export function inferenceLogRoutes(
  store: InferenceLogStore,
): (app: FastifyInstance, ctx: ServerContext) => void {
  return (app, ctx) => {
    const { access } = ctx;
    // An encapsulated scope, so the larger body limit applies to these routes only.
    void app.register(async (scope) => {
      scope.addHook('onRoute', (options) => {
        options.bodyLimit = INFERENCE_LOG_BODY_LIMIT;
      });
      mountJsonRoutes(scope, [PREFIX], 'inference-log', [
        route({
          method: 'POST',
          path: '/inference-log',
          summary: 'Append predictions to the inference log (idempotent per prediction_id)',
          schema: W.AppendPredictions,
          async handler(input, request) {
            const records = input.records.map(W.inferenceRecordFromWire);
            await requireModels(
              access,
              request,
              records.map((r) => r.modelName),
              'EDIT',
            );
            await store.appendPredictions(records);
            return {};
          },
        }),
        route({
          method: 'POST',
          path: '/feedback',
          summary: 'Append actuals, by prediction_id or target_date (idempotent per feedback_id)',
          schema: W.AppendFeedback,
          async handler(input, request) {
            const records = input.records.map(W.feedbackRecordFromWire);
            if (access.enabled && !access.unrestricted(request)) {
              const unnamed = records.findIndex((r) => r.modelName === undefined);
              if (unnamed >= 0) {
                throw invalidParam(
                  `Feedback record ${unnamed}: model_name is missing; with authentication on, feedback must name the registered model it is for (EDIT on it is checked).`,
                );
              }
            }
            await requireModels(
              access,
              request,
              records.flatMap((r) => r.modelName ?? []),
              'EDIT',
            );
            await store.appendFeedback(records);
            return {};
          },
        }),
        route({
          method: 'GET',
          path: '/inference-log',
          summary: 'Logged predictions joined with their actuals, oldest first',
          schema: W.QueryInferenceLog,
          async handler(input, request) {
            const query = await readableQuery(access, request, W.inferenceQueryFromWire(input));
            const rows = await store.queryPredictions(capped(query));
            checkCap(rows.length, 'predictions');
            return { predictions: rows.map(W.inferenceRecordToWire) };
          },
        }),
        route({
          method: 'GET',
          path: '/feedback',
          summary: 'Recorded actuals, oldest first',
          schema: W.QueryInferenceLog,
          async handler(input, request) {
            const query = await readableQuery(access, request, W.inferenceQueryFromWire(input));
            const rows = await store.queryFeedback(capped(query));
            checkCap(rows.length, 'feedback records');
            return { feedback: rows.map(W.feedbackRecordToWire) };
          },
        }),
      ]);
    });
  };
}

async function requireModels(
  access: Access,
  request: FastifyRequest,
  names: readonly string[],
  need: 'READ' | 'EDIT',
): Promise<void> {
  access.requireUser(request);
  if (!access.enabled) return;
  for (const name of new Set(names)) await access.requireModel(request, name, need);
}

async function readableQuery(
  access: Access,
  request: FastifyRequest,
  query: InferenceQuery,
): Promise<InferenceQuery> {
  access.requireUser(request);
  if (query.modelName !== undefined) {
    await requireModels(access, request, [query.modelName], 'READ');
  } else if (access.enabled && !access.unrestricted(request)) {
    throw new MlopsError(
      'PERMISSION_DENIED',
      'Only an admin may read the inference log of every model; give model_name (READ on it is checked).',
    );
  }
  if (query.limit !== undefined && query.limit > W.MAX_ROWS_PER_QUERY) {
    throw invalidParam(
      `limit must be at most ${W.MAX_ROWS_PER_QUERY} rows per request, got ${query.limit}; narrow the query with since/until.`,
    );
  }
  return query;
}

/** Without a limit, one row past the cap is asked for: its presence means the answer is too big. */
function capped(query: InferenceQuery): InferenceQuery {
  return query.limit === undefined ? { ...query, limit: W.MAX_ROWS_PER_QUERY + 1 } : query;
}

function checkCap(rows: number, what: string): void {
  if (rows > W.MAX_ROWS_PER_QUERY) {
    throw invalidParam(
      `More than ${W.MAX_ROWS_PER_QUERY} ${what} match; narrow the query with since/until or set limit (at most ${W.MAX_ROWS_PER_QUERY}).`,
    );
  }
}
