import { ERROR_CODES, type ErrorCode } from './error-codes.js';

const BRAND = Symbol.for('mlops.MlopsError');

/**
 * The one error type mlops throws on purpose. `code` is stable (see docs/errors.md); `message`
 * says what went wrong and what to do next; `cause` keeps the underlying error.
 *
 * @example
 * throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `Run '${id}' not found. List runs with \`mlops runs list\`.`);
 */
export class MlopsError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly [BRAND] = true;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MlopsError';
    this.code = code;
    this.details = options.details;
  }

  /** HTTP status for this code. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  /** Brand check: survives two copies of the package in node_modules, unlike `instanceof`. */
  static is(value: unknown): value is MlopsError {
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  toJSON(): { error_code: ErrorCode; message: string } {
    return { error_code: this.code, message: this.message };
  }
}

/** Shorthand for the most common error: bad input. */
export function invalidParam(message: string, details?: Record<string, unknown>): MlopsError {
  return new MlopsError('INVALID_PARAMETER_VALUE', message, details ? { details } : {});
}
