import { MlopsError } from '../../core/index.js';

const MAX_NEAR = 40;

/**
 * The one shape of every search syntax error, so users (and tests) can rely on it:
 * "Invalid filter at position 17 near 'OR': only AND joins comparisons".
 *
 * @param subject what was being parsed, e.g. `filter` or `order_by clause 'x DESCC'`
 * @param near the offending source text; `undefined` at the end of the input
 */
export function syntaxError(
  subject: string,
  position: number,
  near: string | undefined,
  message: string,
): MlopsError {
  const shown =
    near === undefined
      ? 'the end of the input'
      : `'${near.length > MAX_NEAR ? `${near.slice(0, MAX_NEAR)}...` : near}'`;
  return new MlopsError(
    'INVALID_PARAMETER_VALUE',
    `Invalid ${subject} at position ${position} near ${shown}: ${message}`,
    { details: { position } },
  );
}
