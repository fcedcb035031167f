import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MlopsError } from '../../core/index.js';
import { requireJson } from './body-parsers.js';
import { parseFeedbackRequest } from './feedback-request.js';
import type { ServerContext } from './server-context.js';

/**
 * `POST /feedback`: actual closes, later joined to predictions by prediction id, or by target date
 * and model name (the served model's name unless the entry names one). 202: written in the
 * background with the predictions.
 */
export function registerFeedbackRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/feedback', async (request, reply) => {
    requireJson(request.body, '/feedback');
    const log = ctx.inferenceLog;
    if (!log) {
      throw new MlopsError(
        'TEMPORARILY_UNAVAILABLE',
        'This prediction server has no inference log, so it cannot record feedback; start it with a store.',
      );
    }
    const entries = parseFeedbackRequest(request.body);
    const timestamp = Date.now();
    const served = ctx.slot.current?.name;
    const ids = entries.map((entry) => {
      const feedbackId = randomUUID();
      // Naming the served model lets an authenticated tracking server check EDIT on it; a
      // prediction id still joins only that model's predictions.
      const modelName = entry.modelName ?? served;
      log.logFeedback({
        feedbackId,
        timestamp,
        ...(entry.predictionId ? { predictionId: entry.predictionId } : {}),
        ...(entry.targetDate ? { targetDate: entry.targetDate } : {}),
        ...(modelName ? { modelName } : {}),
        actual: entry.actual,
      });
      return feedbackId;
    });
    return reply.status(202).send({ feedback_ids: ids, accepted: ids.length });
  });
}
