import type { BlobStore } from '../blobs/index.js';
import { findPointers, targetOf } from './find-pointers.js';
import { readPointerFile } from './pointer.js';
import { storedPathManifests } from './stored-path.js';

/**
 * gc roots of the data in the working tree: every pointer's manifest and, for a directory, each
 * listed file's manifest. An invalid pointer or an unreadable-but-present listing throws, which
 * aborts gc before anything is deleted (better than sweeping what it might name).
 */
export async function* dataPointerRoots(root: string, blobs: BlobStore): AsyncIterable<string> {
  for (const rel of await findPointers(root)) {
    const target = targetOf(root, rel);
    yield* storedPathManifests(blobs, [
      await readPointerFile(target.pointerAbs, target.pointerRel),
    ]);
  }
}
