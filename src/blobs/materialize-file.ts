import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { BlobStore } from './blob-store.js';
import { ioError } from './io-error.js';
import { readManifest } from './read-manifest.js';
import { readStoredFileChunks } from './read-stored-file.js';
import type { StoredFile } from './store-file.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Writes stored file `manifestId` to `destPath` as a plain copy (never a link into the store, so
 * editing the file cannot corrupt a blob). Parent directories are created; the bytes go to a temp
 * file beside `destPath`, are verified and fsynced, then renamed over it: `destPath` is either
 * untouched or complete. A symlink at `destPath` is replaced, not written through.
 */
export async function materializeFile(
  blobs: BlobStore,
  manifestId: string,
  destPath: string,
): Promise<StoredFile> {
  const manifest = await readManifest(blobs, manifestId);
  const dest = resolve(destPath);
  try {
    await mkdir(dirname(dest), { recursive: true });
    await writeFileAtomic(dest, readStoredFileChunks(blobs, manifestId, manifest));
  } catch (err) {
    throw ioError('write', dest, err);
  }
  return { manifestId, size: manifest.size, sha256: manifest.sha256 };
}
