import type { FastifyInstance } from 'fastify';
import { MlopsError } from '../core/index.js';

/** Deeper JSON than this is refused before parsing: no request of the API nests beyond ~6. */
export const MAX_JSON_DEPTH = 64;

/**
 * The only body parser of the JSON API: `application/json`, at most `bodyLimit` bytes (413
 * beyond), nesting checked before JSON.parse runs, `__proto__`/`constructor` keys dropped, an
 * empty body read as `{}`, and a body that is itself a JSON string decoded once more (as MLflow's
 * handlers do). No parser for text/plain, forms or multipart: a cross-site form post gets 400.
 */
export function installJsonBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  checkDepth(text);
  let value: unknown = parseJson(text);
  if (typeof value === 'string') {
    checkDepth(value);
    value = parseJson(value);
  }
  return value;
}

function parseJson(text: string): unknown {
  try {
    // The reviver costs JSON.parse its fast path; only bodies that could carry a poisoned key
    // pay for it (a key spelled with \u escapes counts as one that could).
    const plain =
      !text.includes('__proto__') && !text.includes('constructor') && !text.includes('\\u');
    if (plain) return JSON.parse(text);
    return JSON.parse(text, (key, v: unknown) =>
      key === '__proto__' || key === 'constructor' ? undefined : v,
    );
  } catch (err) {
    throw new MlopsError(
      'BAD_REQUEST',
      `The request body is not valid JSON: ${(err as Error).message}.`,
    );
  }
}

function checkDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new MlopsError(
          'INVALID_PARAMETER_VALUE',
          `The request body nests deeper than ${MAX_JSON_DEPTH} levels; no API request needs that.`,
        );
      }
    } else if (c === 125 || c === 93) depth--;
  }
}
