import { MlopsError } from '../core/index.js';
import { LocalBlobStore, type BlobStore } from '../blobs/index.js';

/**
 * The byte store runs and data share: `MLOPS_ARTIFACT_URI` (or `uri`) when set, else the
 * workspace's `.mlops/blobs`.
 */
export function openBlobStore(uri: string | undefined, fallback: string): BlobStore {
  if (uri === undefined || uri === '') return new LocalBlobStore(fallback);
  if (uri.startsWith('file://')) return new LocalBlobStore(new URL(uri).pathname);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new MlopsError(
      'UNSUPPORTED_URI',
      `Artifact URI '${uri}': only local directories (a path or file://) are supported in this version.`,
    );
  }
  return new LocalBlobStore(uri);
}
