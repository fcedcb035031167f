import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { BlobStore } from '../blobs/index.js';
import type { LineageStore } from '../lineage/index.js';
import type { SqlLoggedModelStore, SqlRunIoStore, TrackingStore } from '../tracking/index.js';
import { OPEN_ACCESS, type Access } from './access.js';
import { frameworkErrorReply, installErrorReplies } from './error-reply.js';
import { installJsonBody } from './json-body.js';
import { mountJsonRoutes } from './mount-routes.js';
import { installPromMetrics } from './prom-metrics.js';
import { installRequestGuards } from './request-guards.js';
import { registerArtifactRoutes } from './routes/mlflow-artifacts.js';
import { experimentRoutes } from './routes/mlflow-experiments.js';
import { metricRoutes } from './routes/mlflow-metrics.js';
import { runRoutes } from './routes/mlflow-runs.js';
import { loggedModelRoutes } from './routes/logged-models.js';
import { registerNativeRoutes } from './routes/native-routes.js';
import type { ServerContext } from './server-context.js';

/** MLflow's limit for a log-batch body (MAX_BATCH_LOG_REQUEST_SIZE), applied to every JSON body. */
export const JSON_BODY_LIMIT = 1_000_000;

export interface ServerStores {
  readonly store: TrackingStore;
  readonly blobs: BlobStore;
  readonly lineage: LineageStore;
  readonly loggedModels: SqlLoggedModelStore;
  readonly runIo: SqlRunIoStore;
}

export interface BuildServerOptions {
  readonly access?: Access;
  /** Bound to loopback: Host names other than localhost's are refused (DNS rebinding). */
  readonly loopback?: boolean;
  readonly allowedHosts?: readonly string[];
  /** Fastify's request log (pino); off by default, on for `mlops server --log-requests`. */
  readonly logRequests?: boolean;
  /**
   * Mounts more routes (the registry's, later) with the same conventions: they get the server's
   * context and `mountJsonRoutes` with the MLflow prefixes.
   */
  readonly plugins?: readonly ((app: FastifyInstance, ctx: ServerContext) => void)[];
}

/** Routes of MLflow's tracking service, mounted as MLflow does: under /api/2.0 and /ajax-api/2.0. */
export const MLFLOW_PREFIXES = ['/api/2.0', '/ajax-api/2.0'] as const;

/**
 * The tracking server as a Fastify instance (not listening): MLflow's REST API, our native
 * routes, /health, /metrics and /api/openapi.json, over the given stores.
 */
export async function buildServer(
  stores: ServerStores,
  options: BuildServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logRequests ?? false,
    bodyLimit: JSON_BODY_LIMIT,
    exposeHeadRoutes: false,
    frameworkErrors: frameworkErrorReply,
    // Upload paths nest; fastify's default 100-character parameter limit would cut them.
    routerOptions: { maxParamLength: 4096 },
  });
  const ctx: ServerContext = { ...stores, access: options.access ?? OPEN_ACCESS };
  installRequestGuards(app, {
    loopback: options.loopback ?? false,
    allowedHosts: options.allowedHosts ?? [],
  });
  installErrorReplies(app);
  installJsonBody(app);
  // Requests are validated by the routes' own zod schemas (with MLflow's messages); fastify's
  // compilers only see them to document them.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'mlops tracking server',
        description:
          "MLflow-compatible tracking API (/api/2.0/mlflow, also under /ajax-api/2.0) and mlops's own routes (/api/mlops).",
        version: '1',
      },
    },
    transform: jsonSchemaTransform,
  });
  installPromMetrics(app);
  app.addHook('preHandler', async (request) => {
    const url = request.routeOptions.url;
    if (url === '/health' || url === '/metrics' || url === '/api/openapi.json') return;
    if (url === undefined) return; // not found: answered without looking at credentials
    await ctx.access.authenticate(request);
  });

  app.get('/health', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-type', 'text/plain; charset=utf-8').send('OK'),
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(app.swagger())),
  );
  mountJsonRoutes(app, MLFLOW_PREFIXES, 'experiments', experimentRoutes(ctx));
  mountJsonRoutes(app, MLFLOW_PREFIXES, 'runs', runRoutes(ctx));
  mountJsonRoutes(app, MLFLOW_PREFIXES, 'metrics', metricRoutes(ctx));
  mountJsonRoutes(app, MLFLOW_PREFIXES, 'logged-models', loggedModelRoutes(ctx));
  registerArtifactRoutes(app, ctx);
  registerNativeRoutes(app, ctx);
  for (const plugin of options.plugins ?? []) plugin(app, ctx);
  await app.ready();
  return app;
}
