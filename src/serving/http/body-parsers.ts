import type { FastifyInstance } from 'fastify';
import { MlopsError } from '../../core/index.js';
import { UnsupportedMediaType } from './http-errors.js';

/** A `text/csv` body, kept apart from JSON so each route can take or refuse it. */
export class CsvBody {
  constructor(readonly text: string) {}
}

/**
 * The only body parsers: `application/json` and `text/csv`, each with at most a `charset=utf-8`
 * parameter (as MLflow's scoring server; `format=pandas-split` from MLflow 1.x gets a 415 that
 * says so). Any other type is refused with 415 before the body is read.
 */
export function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (cause) {
      done(
        new MlopsError(
          'BAD_REQUEST',
          `The request body is not valid JSON (${(cause as Error).message}). NaN and Infinity are not JSON: send closes as plain numbers.`,
        ),
        undefined,
      );
    }
  });
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) =>
    done(null, new CsvBody(body as string)),
  );
  app.addHook('onRequest', async (request) => {
    const type = request.headers['content-type'];
    if (request.method !== 'POST' || type === undefined) return;
    checkParameters(type);
  });
}

function checkParameters(contentType: string): void {
  const [, ...params] = contentType.split(';');
  for (const param of params) {
    const [key = '', value = ''] = param.split('=').map((s) => s.trim().toLowerCase());
    if (key === 'charset' && value.replaceAll('"', '') === 'utf-8') continue;
    if (key === '' && value === '') continue;
    throw new UnsupportedMediaType(
      key === 'format'
        ? `Content type parameter '${param.trim()}' is MLflow 1.x's; since MLflow 2.0 the format is a key of the JSON body ("dataframe_split", "dataframe_records", "instances" or "inputs"). Send plain application/json.`
        : `Unsupported content type parameter '${param.trim()}': only charset=utf-8 is accepted.`,
    );
  }
}

/** Refuses a CSV body on a JSON-only route. */
export function requireJson(body: unknown, route: string): void {
  if (body instanceof CsvBody) {
    throw new UnsupportedMediaType(
      `${route} takes application/json; text/csv is accepted only by /invocations.`,
    );
  }
}
