import type { z } from 'zod';
import { MlopsError } from '../core/index.js';

/**
 * A zod failure as MLflow words it: "Missing value for required parameter 'run_id'" for an absent
 * field, else "Invalid value <v> for parameter '<path>' supplied: expected <what>".
 */
export function validationError(error: z.ZodError, input: unknown): MlopsError {
  const issue = error.issues[0];
  if (!issue) return new MlopsError('INVALID_PARAMETER_VALUE', 'Invalid request.');
  const path = issue.path.map(String).join('.');
  const value = valueAt(input, issue.path);
  if (value === undefined && path !== '') {
    return new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `Missing value for required parameter '${path}'. See the API reference at /api/openapi.json.`,
    );
  }
  const shown = JSON.stringify(value) ?? String(value);
  const expected = issue.message.replace(/^Invalid input: /, '');
  return new MlopsError(
    'INVALID_PARAMETER_VALUE',
    `Invalid value ${shown.length > 80 ? `${shown.slice(0, 80)}...` : shown} for parameter '${path || '(body)'}' supplied: ${expected}.`,
  );
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}
