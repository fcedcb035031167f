/**
 * The one registry of error codes. Codes are stable strings (MLflow's names where one fits) and are
 * never reused once retired. `docs/errors.md` documents every code; a test keeps the two in sync.
 */
export interface ErrorCodeInfo {
  /** HTTP status a server answers with (MLflow's mapping where the code is MLflow's). */
  readonly status: number;
  /** One line: when it happens. */
  readonly summary: string;
}

export const ERROR_CODES = {
  INVALID_PARAMETER_VALUE: {
    status: 400,
    summary: 'A key, value, id or argument breaks a documented rule.',
  },
  BAD_REQUEST: { status: 400, summary: 'The request as a whole cannot be understood.' },
  RESOURCE_ALREADY_EXISTS: {
    status: 400,
    summary: 'Something with that name or id exists already.',
  },
  RESOURCE_DOES_NOT_EXIST: { status: 404, summary: 'No experiment, run or object with that id.' },
  INVALID_STATE: {
    status: 500,
    summary: 'The object is in a state that does not allow the operation.',
  },
  DATABASE_CORRUPT: {
    status: 500,
    summary: 'The database file is not a database or is damaged.',
  },
  DATABASE_UNREACHABLE: { status: 503, summary: 'The database server cannot be reached.' },
  SCHEMA_TOO_NEW: {
    status: 500,
    summary: 'The database was written by a newer mlops than this one.',
  },
  SCHEMA_OUT_OF_DATE: {
    status: 500,
    summary: 'The database needs `mlops db upgrade` before use.',
  },
  NOT_AN_MLOPS_DATABASE: {
    status: 500,
    summary: 'The database holds tables that mlops did not create.',
  },
  DATA_CONTRACT_FAILED: {
    status: 400,
    summary: 'A dataset breaks the data contract (its validation report lists the errors).',
  },
  STAGE_FAILED: {
    status: 500,
    summary: 'A pipeline stage failed; its downstream stages did not run.',
  },
  UNSUPPORTED_URI: { status: 400, summary: 'A store URI has a scheme mlops does not know.' },
  BLOB_NOT_FOUND: { status: 404, summary: 'A blob or manifest is missing from the byte store.' },
  BLOB_CORRUPT: { status: 500, summary: 'A stored blob does not match its content hash.' },
  PACKAGE_CORRUPT: {
    status: 500,
    summary: 'A model package is missing a file, fails its hashes, or has an invalid MLmodel.',
  },
  IO_ERROR: { status: 500, summary: 'Reading or writing a local file failed.' },
  UNAUTHENTICATED: {
    status: 401,
    summary:
      'The server needs credentials (a token or user and password) and got none or wrong ones.',
  },
  PERMISSION_DENIED: {
    status: 403,
    summary: 'The authenticated user lacks the permission the operation needs.',
  },
  ENDPOINT_NOT_FOUND: { status: 404, summary: 'No API route with that method and path.' },
  PAYLOAD_TOO_LARGE: { status: 413, summary: 'A request body is over the size limit.' },
  TEMPORARILY_UNAVAILABLE: {
    status: 503,
    summary: 'The server is overloaded or a feature it needs is not configured.',
  },
  MODEL_SIGNATURE_MISMATCH: {
    status: 400,
    summary: "A model's graph does not match the signature its package declares.",
  },
  INTERNAL_ERROR: { status: 500, summary: 'A bug in mlops.' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;
