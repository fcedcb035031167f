import { join } from 'node:path';
import type { BlobStore } from '../../blobs/index.js';
import { storedPathManifests } from '../../data/index.js';
import { lockCommits, openRevision, readLockAt } from '../compare/revision.js';
import { readLockFile } from '../lock/lock-file.js';
import type { LockedOut } from '../lock/lock-types.js';
import { RUN_CACHE_DIR, RunCache } from '../run-cache/run-cache.js';

const stored = (outs: readonly LockedOut[]) =>
  outs.filter((o): o is LockedOut & { manifest: string } => o.manifest !== undefined);

/**
 * gc roots of a workspace's pipeline: the outs `mlops.lock` names and the outs of every
 * run-cache entry (each file manifest, and each file of a stored directory).
 */
export async function* pipelineRoots(
  root: string,
  stateDir: string,
  blobs: BlobStore,
): AsyncIterable<string> {
  const lock = await readLockFile(root);
  for (const entry of Object.values(lock.stages)) {
    yield* storedPathManifests(blobs, stored(entry.outs));
  }
  for await (const entry of new RunCache(join(stateDir, RUN_CACHE_DIR)).entries()) {
    yield* storedPathManifests(blobs, stored(entry.outs));
  }
}

/** Which committed locks count (as `mlops data gc --rev <rev>... --all-commits`). */
export interface PipelineRevisionSelection {
  readonly revs?: readonly string[];
  readonly allCommits?: boolean;
}

/**
 * gc roots of the outs that \`mlops.lock\` names at git revisions: the given ones and, with
 * \`allCommits\`, every version of the lock reachable from any ref. An unknown revision throws,
 * which aborts gc before anything is deleted.
 */
export async function* pipelineRevisionRoots(
  root: string,
  blobs: BlobStore,
  selection: PipelineRevisionSelection,
): AsyncIterable<string> {
  const revs = [...(selection.revs ?? [])];
  if (selection.allCommits === true) revs.push(...(await lockCommits(root)));
  const seen = new Set<string>();
  for (const rev of revs) {
    const revision = await openRevision(root, rev);
    if (revision.commit === null || seen.has(revision.commit)) continue;
    seen.add(revision.commit);
    const lock = await readLockAt(revision);
    for (const entry of Object.values(lock.stages)) {
      yield* storedPathManifests(blobs, stored(entry.outs));
    }
  }
}
