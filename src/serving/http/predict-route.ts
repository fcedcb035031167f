import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { InferenceRecord } from '../inference-log/index.js';
import { checkFinite, markAnswer, modelJson } from './answer.js';
import { requireJson } from './body-parsers.js';
import { businessDaysAfter } from './business-days.js';
import { parsePredictRequest } from './predict-request.js';
import type { ServerContext } from './server-context.js';
import { withTimeout } from './with-timeout.js';

interface PredictionJson {
  prediction_id: string;
  target_date?: string;
  value: number;
}

/**
 * `POST /predict`: the next close (or `horizon` closes, each step feeding its prediction back as
 * the newest close) from the last window of a series. All steps run on the one version the
 * request started with.
 */
export function registerPredictRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/predict', async (request, reply) => {
    const arrived = Date.now();
    const started = performance.now();
    requireJson(request.body, '/predict');
    const lease = ctx.slot.acquire();
    const model = lease.model;
    const work = (async () => {
      try {
        const req = parsePredictRequest(request.body, {
          window: model.window,
          maxHorizon: ctx.maxHorizon,
        });
        const window = Array.from(req.window);
        const values: number[] = [];
        const windows: number[][] = [];
        for (let step = 0; step < req.horizon; step++) {
          windows.push(window.slice());
          const [value = Number.NaN] = await model.runner.predict(Float32Array.from(window), 1);
          checkFinite([value], model);
          values.push(value);
          window.shift();
          window.push(value);
        }
        return { req, values, windows };
      } finally {
        lease.release();
      }
    })();
    const { req, values, windows } = await withTimeout(work, ctx.requestTimeoutMs);
    const dates = req.lastDate ? businessDaysAfter(req.lastDate, req.horizon) : undefined;
    const latencyMs = performance.now() - started;
    const predictions: PredictionJson[] = values.map((value, i) => {
      const targetDate = dates?.[i];
      return {
        prediction_id: randomUUID(),
        ...(targetDate ? { target_date: targetDate } : {}),
        value,
      };
    });
    predictions.forEach((p, i) => {
      const record: InferenceRecord = {
        predictionId: p.prediction_id,
        timestamp: arrived,
        modelName: model.name,
        modelVersion: model.version,
        ...(req.lastDate ? { inputDate: req.lastDate } : {}),
        ...(p.target_date ? { targetDate: p.target_date } : {}),
        horizonStep: i + 1,
        inputs: windows[i] ?? [],
        prediction: p.value,
        latencyMs,
        route: 'predict',
      };
      ctx.inferenceLog?.logPrediction(record);
    });
    ctx.metrics.predicted('/predict', model.version, values.length);
    markAnswer(ctx, request, reply, model);
    return { predictions, model: modelJson(model), horizon: req.horizon };
  });
}
