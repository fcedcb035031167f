/** @module blobs: the one content-addressed byte store, stored files as chunk manifests, gc. */
export type { BlobStore } from './blob-store.js';
export { LocalBlobStore } from './local-blob-store.js';
export { assertBlobHash, isBlobHash, sha256Hex } from './blob-hash.js';
export type { Chunker } from './chunker.js';
export { DEFAULT_CHUNK_SIZE, FixedSizeChunker } from './fixed-size-chunker.js';
export {
  decodeManifest,
  encodeManifest,
  looksLikeManifest,
  type Manifest,
  type ManifestChunk,
} from './manifest.js';
export { readManifest } from './read-manifest.js';
export {
  storeBytes,
  storeFile,
  storeStream,
  type StoreOptions,
  type StoredFile,
} from './store-file.js';
export { readStoredFile, readStoredFileChunks } from './read-stored-file.js';
export { materializeFile } from './materialize-file.js';
export { writeFileAtomic, type WriteFileAtomicOptions } from './write-file-atomic.js';
export { GcRootRegistry, type GcRootEntry, type GcRootProvider } from './gc-root-registry.js';
export {
  collectGarbage,
  type GcMissing,
  type GcOptions,
  type GcReport,
} from './collect-garbage.js';
export { verifyBlobs, type VerifyReport } from './verify-blobs.js';
export { parseS3Uri, S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.js';
export { FASTCDC_DEFAULTS, FastCdcChunker, type FastCdcOptions } from './fastcdc-chunker.js';
