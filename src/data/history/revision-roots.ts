import { MlopsError } from '../../core/index.js';
import type { BlobStore } from '../../blobs/index.js';
import { readListing } from '../directory-listing.js';
import { pointersAtRevisions, type RevisionSelection } from './revision-pointers.js';

export type RevisionRootsOptions = RevisionSelection;

/**
 * gc roots of the data versions committed at git revisions: each pointer's manifest and, for a
 * directory, each listed file's manifest (when the listing is in the store). Each distinct
 * pointer blob is read once however many commits hold it. Like the working-tree roots, an
 * invalid committed pointer or an unknown revision throws, which aborts gc before it deletes
 * anything.
 */
export async function* dataRevisionRoots(
  root: string,
  blobs: BlobStore,
  options: RevisionRootsOptions,
): AsyncIterable<string> {
  for (const { pointer } of await pointersAtRevisions(root, options)) {
    yield pointer.manifest;
    if (pointer.files === undefined) continue;
    let listing;
    try {
      listing = await readListing(blobs, pointer.manifest);
    } catch (err) {
      // A listing that is gone names nothing gc could keep; gc reports the missing root itself.
      if (MlopsError.is(err) && err.code === 'BLOB_NOT_FOUND') continue;
      throw err;
    }
    for (const e of listing) yield e.manifest;
  }
}
