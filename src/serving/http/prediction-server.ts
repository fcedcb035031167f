import type { FastifyInstance } from 'fastify';
import type { InferenceLogWriter } from '../inference-log/index.js';
import { describeRef, type ModelSlot } from '../model-slot.js';
import { installBodyParsers } from './body-parsers.js';
import { registerFeedbackRoute } from './feedback-route.js';
import { installErrorReplies } from './http-errors.js';
import { registerInfoRoutes } from './info-routes.js';
import { registerInvocationsRoute } from './invocations-route.js';
import { registerPredictRoute } from './predict-route.js';
import type { ServerContext } from './server-context.js';
import { ServingMetrics } from './serving-metrics.js';

/** MLflow's log-batch limit, the same as the tracking server's JSON limit. */
export const DEFAULT_BODY_LIMIT = 1_000_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_HORIZON = 30;

export interface PredictionServerOptions {
  /** The served version; swap it with `slot.swap` or an `AliasFollower`. */
  readonly slot: ModelSlot;
  /** Where predictions and feedback go; without one nothing is logged and /feedback is 503. */
  readonly inferenceLog?: InferenceLogWriter;
  /** Bytes; larger bodies get 413 (default 1 MB). */
  readonly bodyLimit?: number;
  /** A prediction taking longer gets 503 (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Largest `horizon` /predict accepts (default 30). */
  readonly maxHorizon?: number;
  /** Swap and failure lines (default stderr). */
  readonly log?: (line: string) => void;
  /** Fastify's per-request log (pino), off by default. */
  readonly logRequests?: boolean;
}

export interface PredictionServer {
  /** Not listening yet: `app.listen(...)`, or `app.inject(...)` in tests. */
  readonly app: FastifyInstance;
  readonly metrics: ServingMetrics;
}

/**
 * The prediction server as a Fastify instance: /predict, /invocations, /feedback, /health, /ping,
 * /ready, /version, /metrics, /docs. Fastify and prom-client load here, on first use.
 */
export async function createPredictionServer(
  options: PredictionServerOptions,
): Promise<PredictionServer> {
  const { default: Fastify } = await import('fastify');
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const writer = options.inferenceLog;
  const metrics = await ServingMetrics.create(() => writer);
  const app = Fastify({
    logger: options.logRequests ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    exposeHeadRoutes: false,
  });
  const ctx: ServerContext = {
    slot: options.slot,
    inferenceLog: writer,
    metrics,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxHorizon: options.maxHorizon ?? DEFAULT_MAX_HORIZON,
    log,
    answeredBy: new WeakMap(),
    errorCodes: new WeakMap(),
  };
  const unwatch = watchSlot(ctx);
  installBodyParsers(app);
  installErrorReplies(app, ctx);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const version = ctx.answeredBy.get(request) ?? ctx.slot.current?.version ?? 'none';
    metrics.observe(
      route,
      reply.statusCode,
      version,
      reply.elapsedTime / 1000,
      ctx.errorCodes.get(request),
    );
  });
  registerPredictRoute(app, ctx);
  registerInvocationsRoute(app, ctx);
  registerFeedbackRoute(app, ctx);
  registerInfoRoutes(app, ctx);
  app.addHook('onClose', async () => {
    unwatch();
  });
  await app.ready();
  return { app, metrics };
}

/** Swaps and failures become log lines and metrics. */
function watchSlot(ctx: ServerContext): () => void {
  const current = ctx.slot.current;
  if (current) ctx.metrics.swapped(current);
  return ctx.slot.subscribe((event) => {
    switch (event.type) {
      case 'swapped':
        ctx.metrics.swapped(event.to);
        ctx.log(
          `serving ${describeRef(event.to)}${event.from ? ` (was version ${event.from.version})` : ''}, loaded and warmed up in ${Math.round(event.ms)} ms`,
        );
        break;
      case 'swap_failed':
        ctx.metrics.swapFailed();
        ctx.log(
          `could not load ${describeRef(event.target)}: ${message(event.error)}${ctx.slot.current ? `; still serving version ${ctx.slot.current.version}` : ''}`,
        );
        break;
      case 'dispose_failed':
        ctx.log(`releasing ${describeRef(event.model)} failed: ${message(event.error)}`);
        break;
    }
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
