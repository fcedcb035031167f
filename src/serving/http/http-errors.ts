import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MlopsError } from '../../core/index.js';
import type { ServerContext } from './server-context.js';

/** Thrown for content types a route does not take: MLflow answers 415 for these. */
export class UnsupportedMediaType extends MlopsError {
  constructor(message: string) {
    super('BAD_REQUEST', message);
  }
}

/**
 * Errors leave as MLflow's `{"error_code", "message"}` (plus `field` for bad input: the JSON path
 * of the offending value) with the status of their code; 415 for unsupported content types.
 * Anything that is not an MlopsError is logged and answered as an INTERNAL_ERROR without details.
 */
export function installErrorReplies(app: FastifyInstance, ctx: ServerContext): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const err = toMlopsError(error);
    if (err.code === 'INTERNAL_ERROR') {
      ctx.log(
        `prediction server: ${request.method} ${request.url} failed: ${String(error.stack ?? error)}`,
      );
    }
    const status = err instanceof UnsupportedMediaType ? 415 : err.status;
    void sendError(request, reply, ctx, err, status);
  });
  app.setNotFoundHandler((request, reply) => {
    const err = new MlopsError(
      'ENDPOINT_NOT_FOUND',
      `No route ${request.method} ${request.url.split('?')[0]}. The routes are listed at /docs.`,
    );
    void sendError(request, reply, ctx, err, err.status);
  });
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  err: MlopsError,
  status: number,
): FastifyReply {
  ctx.errorCodes.set(request, err.code);
  const field = err.details?.['field'];
  const body = { ...err.toJSON(), ...(typeof field === 'string' ? { field } : {}) };
  return reply
    .status(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

function toMlopsError(error: unknown): MlopsError {
  if (MlopsError.is(error)) return error;
  const e = error as Partial<FastifyError>;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new MlopsError(
        'PAYLOAD_TOO_LARGE',
        "The request body is over the server's body limit; send fewer windows per request.",
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaType(
        'Unsupported content type: send application/json (or text/csv to /invocations).',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new MlopsError('BAD_REQUEST', 'The request body is not valid JSON.');
    default:
      break;
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new MlopsError('BAD_REQUEST', e.message ?? 'Bad request.');
  }
  return new MlopsError('INTERNAL_ERROR', 'Internal server error; the server log has the details.');
}
