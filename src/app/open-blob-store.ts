import { MlopsError } from '../core/index.js';
import { LocalBlobStore, S3BlobStore, type BlobStore } from '../blobs/index.js';

/**
 * The byte store runs and data share: `MLOPS_ARTIFACT_URI` (or `uri`) when set, else the
 * workspace's `.mlops/blobs`. `s3://bucket/prefix` goes to S3 or, with `MLOPS_S3_ENDPOINT_URL`
 * (or MLflow's `MLFLOW_S3_ENDPOINT_URL`, or the SDK's `AWS_ENDPOINT_URL`), to an S3-compatible
 * server; credentials come from the usual AWS environment and profiles.
 */
export function openBlobStore(uri: string | undefined, fallback: string): BlobStore {
  if (uri === undefined || uri === '') return new LocalBlobStore(fallback);
  if (uri.startsWith('file://')) return new LocalBlobStore(new URL(uri).pathname);
  if (/^s3:\/\//i.test(uri)) {
    const endpoint =
      process.env['MLOPS_S3_ENDPOINT_URL'] ||
      process.env['MLFLOW_S3_ENDPOINT_URL'] ||
      process.env['AWS_ENDPOINT_URL_S3'] ||
      process.env['AWS_ENDPOINT_URL'];
    return new S3BlobStore(uri, endpoint ? { endpoint } : {});
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new MlopsError(
      'UNSUPPORTED_URI',
      `Artifact URI '${uri}': use a local directory (a path or file://) or s3://bucket/prefix.`,
    );
  }
  return new LocalBlobStore(uri);
}
