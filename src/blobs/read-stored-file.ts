import { createHash } from 'node:crypto';
import { MlopsError } from '../core/index.js';
import type { BlobStore } from './blob-store.js';
import type { Manifest } from './manifest.js';
import { readManifest } from './read-manifest.js';

/** The whole bytes of stored file `manifestId`, verified against the manifest's sha256. */
export async function readStoredFile(blobs: BlobStore, manifestId: string): Promise<Buffer> {
  const manifest = await readManifest(blobs, manifestId);
  const parts: Uint8Array[] = [];
  for await (const chunk of readStoredFileChunks(blobs, manifestId, manifest)) parts.push(chunk);
  return Buffer.concat(parts, manifest.size);
}

/**
 * The chunks of a stored file in order. Each chunk is hash-checked by the store and size-checked
 * here; after the last chunk the whole-file sha256 is checked, so a consumer that reads to the
 * end never accepts wrong bytes (`BLOB_CORRUPT` naming the manifest).
 */
export async function* readStoredFileChunks(
  blobs: BlobStore,
  manifestId: string,
  manifest?: Manifest,
): AsyncIterable<Uint8Array> {
  const m = manifest ?? (await readManifest(blobs, manifestId));
  const hasher = createHash('sha256');
  for (const [i, chunk] of m.chunks.entries()) {
    const bytes = await getChunk(blobs, manifestId, i, chunk.hash);
    if (bytes.byteLength !== chunk.size) {
      throw corrupt(
        manifestId,
        `chunk ${i} (${chunk.hash}) has ${bytes.byteLength} bytes, not ${chunk.size}`,
      );
    }
    hasher.update(bytes);
    yield bytes;
  }
  const actual = hasher.digest('hex');
  if (actual !== m.sha256) {
    throw corrupt(manifestId, `its chunks hash to ${actual}, not the recorded ${m.sha256}`);
  }
}

async function getChunk(blobs: BlobStore, manifestId: string, i: number, hash: string) {
  try {
    return await blobs.get(hash);
  } catch (err) {
    if (MlopsError.is(err) && (err.code === 'BLOB_NOT_FOUND' || err.code === 'BLOB_CORRUPT')) {
      throw new MlopsError(err.code, `Chunk ${i} of manifest ${manifestId}: ${err.message}`, {
        cause: err,
        details: { hash, manifestId },
      });
    }
    throw err;
  }
}

function corrupt(manifestId: string, why: string): MlopsError {
  return new MlopsError('BLOB_CORRUPT', `Stored file ${manifestId} is corrupt: ${why}.`, {
    details: { hash: manifestId },
  });
}
