import type { FastifyReply, FastifyRequest } from 'fastify';
import { MlopsError } from '../../core/index.js';
import type { ServedModel } from '../model-slot.js';
import type { ServerContext } from './server-context.js';

/** The headers every prediction answer carries: which version answered. */
export function markAnswer(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  model: ServedModel,
): void {
  ctx.answeredBy.set(request, model.version);
  void reply
    .header('x-mlops-model-name', model.name)
    .header('x-mlops-model-version', model.version);
}

/** The body's `model` member. */
export function modelJson(model: ServedModel): { name: string; version: string } {
  return { name: model.name, version: model.version };
}

/** A model that answers NaN or Infinity is broken: the request fails, nothing is logged. */
export function checkFinite(values: ArrayLike<number>, model: ServedModel): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new MlopsError(
        'INVALID_STATE',
        `Model '${model.name}' version ${model.version} predicted ${String(values[i])} for window ${i}; the model cannot answer this input.`,
      );
    }
  }
}
