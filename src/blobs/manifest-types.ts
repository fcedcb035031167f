import { MlopsError } from '../core/index.js';

export interface ManifestChunk {
  readonly hash: string;
  readonly size: number;
}

/**
 * What a stored file is: its size, the sha256 of its whole bytes, and its chunks in order. The
 * manifest is itself a blob; its hash (the manifest id) names the stored file.
 */
export interface Manifest {
  readonly kind: 'mlops.manifest';
  /** 2: binary (written now); 1: JSON (written before; still read). */
  readonly version: 1 | 2;
  readonly size: number;
  readonly sha256: string;
  readonly chunks: readonly ManifestChunk[];
}

export function manifestCorrupt(id: string, why: string): MlopsError {
  return new MlopsError('BLOB_CORRUPT', `Manifest ${id} is invalid: ${why}.`, {
    details: { hash: id },
  });
}
