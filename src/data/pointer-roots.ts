import { MlopsError } from '../core/index.js';
import type { BlobStore } from '../blobs/index.js';
import { readListing } from './directory-listing.js';
import { findPointers, targetOf } from './find-pointers.js';
import { readPointerFile } from './pointer.js';

/**
 * gc roots of the data in the working tree: every pointer's manifest and, for a directory, each
 * listed file's manifest. An invalid pointer or an unreadable-but-present listing throws, which
 * aborts gc before anything is deleted (better than sweeping what it might name).
 */
export async function* dataPointerRoots(root: string, blobs: BlobStore): AsyncIterable<string> {
  for (const rel of await findPointers(root)) {
    const target = targetOf(root, rel);
    const pointer = await readPointerFile(target.pointerAbs, target.pointerRel);
    yield pointer.manifest;
    if (pointer.files === undefined) continue;
    let entries;
    try {
      entries = await readListing(blobs, pointer.manifest);
    } catch (err) {
      // Nothing to keep when the listing is gone; gc reports the missing root itself.
      if (MlopsError.is(err) && err.code === 'BLOB_NOT_FOUND') continue;
      throw err;
    }
    for (const e of entries) yield e.manifest;
  }
}
