import type { BlobStore } from '../../blobs/index.js';
import { storedPathManifests } from '../stored-path.js';
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
  const pointers = await pointersAtRevisions(root, options);
  yield* storedPathManifests(
    blobs,
    pointers.map((p) => p.pointer),
  );
}
