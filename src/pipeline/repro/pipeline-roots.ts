import { join } from 'node:path';
import type { BlobStore } from '../../blobs/index.js';
import { storedPathManifests } from '../../data/index.js';
import { readLockFile } from '../lock/lock-file.js';
import type { LockedOut } from '../lock/lock-types.js';
import { RUN_CACHE_DIR, RunCache } from '../run-cache/run-cache.js';

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
  const stored = (outs: readonly LockedOut[]) =>
    outs.filter((o): o is LockedOut & { manifest: string } => o.manifest !== undefined);
  for (const entry of Object.values(lock.stages)) {
    yield* storedPathManifests(blobs, stored(entry.outs));
  }
  for await (const entry of new RunCache(join(stateDir, RUN_CACHE_DIR)).entries()) {
    yield* storedPathManifests(blobs, stored(entry.outs));
  }
}
