import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MlopsError, invalidParam } from '../core/index.js';
import { storeBytes, storeFile } from '../blobs/index.js';
import type { Stats } from 'node:fs';
import { pointerCached, storedFileComplete } from './cache-check.js';
import { DEFAULT_CONCURRENCY, type DataContext } from './data-context.js';
import {
  directoryHash,
  encodeListing,
  fileMode,
  readListing,
  type ListingEntry,
} from './directory-listing.js';
import { targetOf, type PointerTarget } from './find-pointers.js';
import { ignoreInGit, ignoreStateDir } from './gitignore.js';
import { mapLimit } from './map-limit.js';
import { readPointerIfExists, writePointerFile, type DataPointer } from './pointer.js';
import { sameStats, StatCache } from './stat-cache.js';
import { hashWorkspaceFile, listDirectoryFiles, statIfExists } from './workspace-hash.js';
import { resolveDataPath, stripPointerSuffix } from './workspace-path.js';

/** What `addData` did for one path. */
export interface AddedData {
  /** Workspace-relative, '/'-separated. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** Directories only. */
  readonly files?: number;
  /** False when the pointer already named these bytes (nothing new was written). */
  readonly changed: boolean;
}

interface StoredRef {
  readonly sha256: string;
  readonly size: number;
  readonly manifest: string;
}

/**
 * `mlops data add`: stores each file or directory in the byte store, writes its pointer
 * `<path>.mlops` (atomically, after the bytes are stored) and git-ignores the data. Every path is
 * checked before anything is written. Unchanged files are recognised by the stat cache (or by
 * hashing when the size matches the old pointer) and nothing new is written for them.
 */
export async function addData(ctx: DataContext, paths: readonly string[]): Promise<AddedData[]> {
  if (paths.length === 0) throw invalidParam('Name at least one file or directory to add.');
  const targets = new Map<string, { target: PointerTarget; stats: Stats }>();
  for (const input of paths) {
    const { rel, abs } = await resolveDataPath(ctx, stripPointerSuffix(input));
    const stats = await statIfExists(abs);
    if (!stats) {
      throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `Cannot add '${input}': no such file.`, {
        details: { path: input },
      });
    }
    if (!stats.isFile() && !stats.isDirectory()) {
      throw invalidParam(`Cannot add '${input}': not a regular file or directory.`, {
        path: input,
      });
    }
    targets.set(rel, { target: targetOf(ctx.root, rel), stats });
  }
  const cache = await StatCache.load(ctx.stateDir);
  const results: AddedData[] = [];
  try {
    for (const { target, stats } of targets.values()) {
      results.push(await addTarget(ctx, cache, target, stats));
    }
  } finally {
    await cache.save();
  }
  await ignoreInGit(ctx.root, [...targets.keys()]);
  await ignoreStateDir(ctx.stateDir);
  return results;
}

async function addTarget(
  ctx: DataContext,
  cache: StatCache,
  target: PointerTarget,
  stats: Stats,
): Promise<AddedData> {
  // An unreadable old pointer is replaced: adding records what is in the workspace now.
  const previous = await readPointerIfExists(target.pointerAbs, target.pointerRel).catch(
    () => undefined,
  );
  const pointer = stats.isDirectory()
    ? await addDirectory(ctx, cache, target, previous)
    : await addFileTarget(ctx, cache, target, stats, previous);
  await writePointerFile(target.pointerAbs, pointer);
  return {
    path: target.rel,
    sha256: pointer.sha256,
    size: pointer.size,
    ...(pointer.files === undefined ? {} : { files: pointer.files }),
    changed: previous?.sha256 !== pointer.sha256 || previous.files !== pointer.files,
  };
}

async function addFileTarget(
  ctx: DataContext,
  cache: StatCache,
  target: PointerTarget,
  stats: Stats,
  previous: DataPointer | undefined,
): Promise<DataPointer> {
  const prev = previous && previous.files === undefined ? previous : undefined;
  const stored = await storeWorkspaceFile(ctx, cache, target.rel, target.abs, stats, prev);
  return { mlops: 1, hash: 'sha256', ...stored };
}

async function addDirectory(
  ctx: DataContext,
  cache: StatCache,
  target: PointerTarget,
  previous: DataPointer | undefined,
): Promise<DataPointer> {
  const old = new Map<string, ListingEntry>();
  if (previous?.files !== undefined) {
    const entries = await readListing(ctx.blobs, previous.manifest).catch(() => []);
    for (const e of entries) old.set(e.path, e);
  }
  const files = await listDirectoryFiles(target.abs, target.rel);
  const entries = await mapLimit(files, ctx.concurrency ?? DEFAULT_CONCURRENCY, async (path) => {
    const abs = join(target.abs, ...path.split('/'));
    const stats = await stat(abs);
    const stored = await storeWorkspaceFile(
      ctx,
      cache,
      `${target.rel}/${path}`,
      abs,
      stats,
      old.get(path),
    );
    return { path, mode: fileMode(stats.mode), ...stored };
  });
  const sha256 = directoryHash(entries);
  const size = entries.reduce((sum, e) => sum + e.size, 0);
  if (
    previous?.files === entries.length &&
    previous.sha256 === sha256 &&
    (await pointerCached(ctx.blobs, previous))
  ) {
    return previous;
  }
  const listing = await storeBytes(ctx.blobs, encodeListing(entries));
  return {
    mlops: 1,
    hash: 'sha256',
    sha256,
    size,
    files: entries.length,
    manifest: listing.manifestId,
  };
}

/**
 * Stores one workspace file unless `previous` already names its bytes and the store has them.
 * A stat-cache hit, or a size equal to `previous`'s (then hashed once), tells which; otherwise
 * the file is read once, hashing and storing together.
 */
async function storeWorkspaceFile(
  ctx: DataContext,
  cache: StatCache,
  rel: string,
  abs: string,
  stats: Stats,
  previous: StoredRef | undefined,
): Promise<StoredRef> {
  let known = cache.lookup(rel, stats);
  if (known === undefined && previous?.size === stats.size) {
    known = (await hashWorkspaceFile(ctx, cache, rel, abs, stats)).sha256;
  }
  if (
    previous !== undefined &&
    known === previous.sha256 &&
    (await storedFileComplete(ctx.blobs, previous.manifest))
  ) {
    return { sha256: previous.sha256, size: previous.size, manifest: previous.manifest };
  }
  ctx.onRead?.(rel);
  const stored = await storeFile(ctx.blobs, abs);
  const after = await statIfExists(abs);
  if (after && sameStats(stats, after) && after.size === stored.size) {
    cache.record(rel, after, stored.sha256);
  }
  return { sha256: stored.sha256, size: stored.size, manifest: stored.manifestId };
}
