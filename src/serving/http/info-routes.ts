import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mlopsVersion } from './mlops-version.js';
import { openApiDocument } from './openapi-doc.js';
import type { ServerContext } from './server-context.js';

/** Probes and descriptions: /health, /ping, /ready, /version, /metrics, /docs. */
export function registerInfoRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // Liveness: the process answers. Readiness is /ready.
  app.get('/health', async () => ({ status: 'ok' }));

  // /ping is MLflow's probe, which its clients poll until the model is loaded: readiness.
  const ready = async (_request: FastifyRequest, reply: FastifyReply) => {
    const model = ctx.slot.current;
    if (!model) {
      return reply
        .status(503)
        .send({ ready: false, reason: 'No model is loaded and warmed up yet.' });
    }
    return { ready: true, model: { name: model.name, version: model.version } };
  };
  app.get('/ready', ready);
  app.get('/ping', ready);

  app.get('/version', async () => {
    const model = ctx.slot.current;
    return {
      model: model
        ? {
            name: model.name,
            version: model.version,
            package_hash: model.packageHash,
            window: model.window,
            engine: model.runner.engine,
            since: new Date(model.since).toISOString(),
          }
        : null,
      mlops_version: mlopsVersion(),
    };
  });

  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', ctx.metrics.contentType).send(await ctx.metrics.text()),
  );

  const docs = async () => openApiDocument(mlopsVersion(), ctx.maxHorizon);
  app.get('/docs', docs);
  app.get('/openapi.json', docs);
}
