import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { checkFinite, markAnswer, modelJson } from './answer.js';
import { CsvBody } from './body-parsers.js';
import { parseCsvTable } from './csv-table.js';
import { parseInvocationsJson } from './invocations-request.js';
import type { ServerContext } from './server-context.js';
import { tableWindows } from './table-windows.js';
import { withTimeout } from './with-timeout.js';

/**
 * `POST /invocations`: MLflow's scoring protocol. One window of closes per row in, one next close
 * per row out, in one batch on one version: `{"predictions": [...], "model": {...}}`.
 */
export function registerInvocationsRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/invocations', async (request, reply) => {
    const arrived = Date.now();
    const started = performance.now();
    const lease = ctx.slot.acquire();
    const model = lease.model;
    const work = (async () => {
      try {
        const body = request.body;
        const windows =
          body instanceof CsvBody
            ? tableWindows(parseCsvTable(body.text), model.window)
            : parseInvocationsJson(body, { window: model.window, inputName: model.inputName });
        const flat = new Float32Array(windows.length * model.window);
        windows.forEach((w, i) => flat.set(w, i * model.window));
        const values = await model.runner.predict(flat, windows.length);
        checkFinite(values, model);
        return { windows, values };
      } finally {
        lease.release();
      }
    })();
    const { windows, values } = await withTimeout(work, ctx.requestTimeoutMs);
    const latencyMs = performance.now() - started;
    const predictions = Array.from(values);
    predictions.forEach((prediction, i) => {
      ctx.inferenceLog?.logPrediction({
        predictionId: randomUUID(),
        timestamp: arrived,
        modelName: model.name,
        modelVersion: model.version,
        horizonStep: 1,
        inputs: Array.from(windows[i] ?? []),
        prediction,
        latencyMs,
        route: 'invocations',
      });
    });
    ctx.metrics.predicted('/invocations', model.version, predictions.length);
    markAnswer(ctx, request, reply, model);
    return { predictions, model: modelJson(model) };
  });
}
