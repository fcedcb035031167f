import { MlopsError } from '../core/index.js';

/** Where a request went, for messages: the store's URI and the endpoint (or AWS). */
export interface S3Target {
  readonly location: string;
  readonly bucket: string;
  readonly endpoint: string | undefined;
}

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  errors?: unknown[];
  cause?: unknown;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const CREDENTIAL_ERRORS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
]);

/** HTTP status of an SDK service error (undefined for network and client-side errors). */
export function httpStatusOf(err: unknown): number | undefined {
  return (err as SdkErrorLike | null)?.$metadata?.httpStatusCode;
}

/** The SDK error's name (`NoSuchKey`, `NotFound`, `NoSuchBucket`, ...). */
export function errorNameOf(err: unknown): string | undefined {
  return (err as SdkErrorLike | null)?.name;
}

/** A network-level error code (ECONNREFUSED, ...) anywhere in the error or its causes. */
function networkCodeOf(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  const e = err as SdkErrorLike;
  if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  if (e.name === 'TimeoutError') return 'timeout';
  for (const inner of e.errors ?? []) {
    const code = networkCodeOf(inner, depth + 1);
    if (code) return code;
  }
  return networkCodeOf(e.cause, depth + 1);
}

function where(target: S3Target): string {
  return target.endpoint ? `the S3 endpoint ${target.endpoint}` : 'AWS S3';
}

/** An error that says the bucket does not exist. */
export function noSuchBucket(target: S3Target, cause?: unknown): MlopsError {
  return new MlopsError(
    'IO_ERROR',
    `Bucket "${target.bucket}" does not exist at ${where(target)} (store ${target.location}). ` +
      'Check the bucket name in the remote URL (and --endpoint/--region), or create the bucket.',
    { cause, details: { bucket: target.bucket, endpoint: target.endpoint, reason: 'no_bucket' } },
  );
}

/**
 * Turns an AWS SDK failure into an MlopsError that names the store and says what to check:
 * unreachable endpoint, missing bucket, missing or refused credentials, missing region. There is
 * no dedicated code for these yet, so they are `IO_ERROR` with `details.reason` set.
 */
export function s3Error(action: string, target: S3Target, err: unknown): MlopsError {
  if (MlopsError.is(err)) return err;
  const name = errorNameOf(err);
  const status = httpStatusOf(err);
  const message = (err as SdkErrorLike | null)?.message ?? String(err);
  const details = (reason: string) => ({
    bucket: target.bucket,
    endpoint: target.endpoint,
    location: target.location,
    reason,
  });

  const network = networkCodeOf(err);
  if (network && status === undefined) {
    return new MlopsError(
      'IO_ERROR',
      `Cannot reach ${where(target)} to ${action} in ${target.location} (${network}: ${message}). ` +
        'Check the remote URL and --endpoint, that the server is running, and the network or proxy settings.',
      { cause: err, details: details('unreachable') },
    );
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new MlopsError(
      'IO_ERROR',
      `No AWS credentials found to ${action} in ${target.location}. Set AWS_ACCESS_KEY_ID and ` +
        "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (or the remote's --profile) naming a profile in " +
        '~/.aws/credentials or ~/.aws/config; mlops never reads credentials from the workspace.',
      { cause: err, details: details('no_credentials') },
    );
  }
  if (/region is missing/i.test(message)) {
    return new MlopsError(
      'IO_ERROR',
      `No AWS region set for ${target.location}: give the remote --region, or set AWS_REGION.`,
      { cause: err, details: details('no_region') },
    );
  }
  if (name === 'NoSuchBucket') return noSuchBucket(target, err);
  if ((name && CREDENTIAL_ERRORS.has(name)) || status === 401) {
    return new MlopsError(
      'IO_ERROR',
      `${where(target)} refused the credentials to ${action} in ${target.location} (${name ?? status}: ${message}). ` +
        'Check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS profile in use.',
      { cause: err, details: details('bad_credentials') },
    );
  }
  if (status === 403 || name === 'AccessDenied') {
    return new MlopsError(
      'IO_ERROR',
      `Access denied to ${action} in ${target.location} at ${where(target)}. Check the ` +
        'credentials in use (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the AWS profile) and ' +
        'that they may read, write and list that bucket and prefix.',
      { cause: err, details: details('access_denied') },
    );
  }
  const why =
    name && name !== 'Error' ? `${name}${status ? ` ${status}` : ''}: ${message}` : message;
  return new MlopsError('IO_ERROR', `Cannot ${action} in ${target.location} (${why}).`, {
    cause: err,
    details: details('other'),
  });
}
