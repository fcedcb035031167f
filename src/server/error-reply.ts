import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { MlopsError } from '../core/index.js';
import { WWW_AUTHENTICATE } from './auth/index.js';

/**
 * Every error leaves as MLflow's `{"error_code", "message"}` with the status of its code. Fastify's
 * own errors (body too large, bad content type, unknown route) are mapped to our codes; anything
 * else is an INTERNAL_ERROR that is logged, with no stack trace sent to the client.
 */
export function installErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const err = publicError(toMlopsError(error));
    if (err.code === 'INTERNAL_ERROR' || err !== error) {
      request.log.error({ err: error }, 'request failed');
    }
    if (err.code === 'UNAUTHENTICATED') void reply.header('www-authenticate', WWW_AUTHENTICATE);
    void sendError(reply, err);
  });
  app.setNotFoundHandler((request, reply) => {
    const err = new MlopsError(
      'ENDPOINT_NOT_FOUND',
      `No API route ${request.method} ${request.url.split('?')[0]}. The routes are listed at /api/openapi.json.`,
    );
    void sendError(reply, err);
  });
}

/** Fastify's errors before routing (a URL that does not decode): same shape, same headers. */
export function frameworkErrorReply(_error: unknown, _request: unknown, reply: FastifyReply): void {
  void reply
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  void sendError(
    reply,
    new MlopsError('BAD_REQUEST', 'The request URL is malformed (bad percent-encoding).'),
  );
}

function sendError(reply: FastifyReply, err: MlopsError) {
  // <, > and & as JSON escapes: the same string to a JSON reader, never markup to anything else.
  const body = JSON.stringify(err.toJSON()).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return reply
    .status(err.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
}

/**
 * Byte store errors name store paths and the hashes of bytes actually read; a client gets the
 * code and what to do, the log gets the rest.
 */
function publicError(err: MlopsError): MlopsError {
  if (err.code === 'BLOB_NOT_FOUND' || err.code === 'BLOB_CORRUPT') {
    return new MlopsError(
      err.code,
      err.code === 'BLOB_NOT_FOUND'
        ? "The stored bytes of this object are missing from the server's byte store; an admin can restore them from a backup or remote."
        : 'The stored bytes of this object are damaged; an admin can run `mlops data verify` on the server and restore them.',
    );
  }
  return err;
}

export function toMlopsError(error: unknown): MlopsError {
  if (MlopsError.is(error)) return error;
  const e = error as Partial<FastifyError> & { validation?: unknown };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new MlopsError(
        'PAYLOAD_TOO_LARGE',
        `The request body is over the server's limit: ${e.message ?? ''}. Send smaller batches.`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new MlopsError(
        'BAD_REQUEST',
        'Request bodies must be sent with Content-Type: application/json.',
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
