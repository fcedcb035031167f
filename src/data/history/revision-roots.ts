import { MlopsError } from '../../core/index.js';
import type { BlobStore } from '../../blobs/index.js';
import { readListing } from '../directory-listing.js';
import {
  pointerBlobsAt,
  pointerBlobsInAllCommits,
  requireGitWorkspace,
  resolveCommit,
  type CommittedPointer,
} from './git.js';
import { readCommittedPointers } from './revision-pointers.js';

export interface RevisionRootsOptions {
  /** Git revisions (branches, tags, commit ids, HEAD~2, ...) whose committed pointers count. */
  readonly revs?: readonly string[];
  /** Every commit reachable from any ref (branches, tags, remotes, stash). */
  readonly allCommits?: boolean;
}

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
  const revs = options.revs ?? [];
  if (revs.length === 0 && options.allCommits !== true) return;
  const ws = await requireGitWorkspace(root, revs.length > 0 ? '--rev' : '--all-commits');
  const found = new Map<string, { pointer: CommittedPointer; where: string }>();
  for (const rev of revs) {
    const commit = await resolveCommit(root, rev);
    for (const p of await pointerBlobsAt(root, ws.prefix, commit)) {
      if (!found.has(p.blob)) found.set(p.blob, { pointer: p, where: rev });
    }
  }
  if (options.allCommits === true) {
    for (const p of await pointerBlobsInAllCommits(root, ws.prefix)) {
      if (!found.has(p.blob))
        found.set(p.blob, { pointer: p, where: `blob ${p.blob.slice(0, 12)}` });
    }
  }
  const entries = [...found.values()];
  const pointers = await readCommittedPointers(
    root,
    entries.map((e) => e.pointer),
    (c) => `${found.get(c.blob)?.where ?? c.blob}:${c.path}.mlops`,
  );
  for (const { pointer } of pointers) {
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
