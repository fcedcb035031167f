import { join } from 'node:path';
import { MlopsError } from '../core/index.js';
import { storeTarget } from './add-data.js';
import { checkoutOne } from './checkout-data.js';
import type { DataContext } from './data-context.js';
import { readListing } from './directory-listing.js';
import { targetOf } from './find-pointers.js';
import { ioError } from './fs-errors.js';
import { readPointerIfExists, type DataPointer } from './pointer.js';
import { StatCache } from './stat-cache.js';
import { statIfExists, workspaceState, type WorkspaceState } from './workspace-hash.js';

/** A workspace file or directory as stored in the byte store, without a pointer file. */
export interface StoredPath {
  /** Workspace-relative, '/'-separated. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** Directories only. */
  readonly files?: number;
  /** File manifest or directory listing id. */
  readonly manifest: string;
}

function pointerOf(entry: StoredPath): DataPointer {
  return {
    mlops: 1,
    hash: 'sha256',
    sha256: entry.sha256,
    size: entry.size,
    ...(entry.files === undefined ? {} : { files: entry.files }),
    manifest: entry.manifest,
  };
}

/**
 * Stores workspace paths (files or directories) the way `data add` does, but writes no pointer:
 * pipeline stage outs and inputs. `previous` (by path) lets unchanged files go unread. Flushes
 * once when done, so every returned entry is durable.
 */
export async function storeDataPaths(
  ctx: DataContext,
  rels: readonly string[],
  previous: ReadonlyMap<string, StoredPath> = new Map(),
  shared?: StatCache,
): Promise<StoredPath[]> {
  const cache = shared ?? (await StatCache.load(ctx.stateDir));
  const out: StoredPath[] = [];
  try {
    for (const rel of rels) {
      const target = targetOf(ctx.root, rel);
      const stats = await statIfExists(target.abs);
      if (!stats || (!stats.isFile() && !stats.isDirectory())) {
        throw new MlopsError(
          'RESOURCE_DOES_NOT_EXIST',
          `Cannot store ${rel}: ${stats ? 'not a regular file or directory' : 'no such file or directory'}.`,
          { details: { path: rel } },
        );
      }
      const old = previous.get(rel);
      const pointer = await storeTarget(ctx, cache, target, stats, old && pointerOf(old));
      out.push({
        path: rel,
        sha256: pointer.sha256,
        size: pointer.size,
        ...(pointer.files === undefined ? {} : { files: pointer.files }),
        manifest: pointer.manifest,
      });
    }
  } finally {
    if (shared === undefined) await cache.save();
  }
  await ctx.blobs.flush();
  return out;
}

/** Writes stored paths into the workspace (verified by hash; unchanged files are left alone). */
export async function restoreDataPaths(
  ctx: DataContext,
  entries: readonly StoredPath[],
  shared?: StatCache,
): Promise<void> {
  const cache = shared ?? (await StatCache.load(ctx.stateDir));
  try {
    for (const entry of entries) {
      try {
        await checkoutOne(ctx, cache, targetOf(ctx.root, entry.path), pointerOf(entry));
      } catch (err) {
        if (!MlopsError.is(err)) throw ioError('restore', entry.path, err);
        throw new MlopsError(err.code, `Cannot restore ${entry.path}: ${err.message}`, {
          cause: err,
          details: { path: entry.path, ...err.details },
        });
      }
    }
  } finally {
    if (shared === undefined) await cache.save();
  }
}

/**
 * The current identity of workspace paths (hashing only what the stat cache lacks): one stat
 * cache load and save for all of them, or the caller's cache (`shared`) that it saves itself.
 */
export async function hashDataPaths(
  ctx: DataContext,
  rels: readonly string[],
  shared?: StatCache,
): Promise<Map<string, WorkspaceState>> {
  const cache = shared ?? (await StatCache.load(ctx.stateDir));
  const out = new Map<string, WorkspaceState>();
  try {
    for (const rel of rels) {
      out.set(rel, await workspaceState(ctx, cache, rel, join(ctx.root, ...rel.split('/'))));
    }
  } finally {
    // A shared cache is saved by its owner, once.
    if (shared === undefined) await cache.save();
  }
  return out;
}

/**
 * gc roots of stored paths: each manifest and, for a directory, each listed file's manifest
 * (a listing already gone is skipped; gc reports missing roots itself).
 */
export async function* storedPathManifests(
  blobs: DataContext['blobs'],
  entries: Iterable<Pick<StoredPath, 'manifest' | 'files'>>,
): AsyncIterable<string> {
  for (const entry of entries) {
    yield entry.manifest;
    if (entry.files === undefined) continue;
    let listed;
    try {
      listed = await readListing(blobs, entry.manifest);
    } catch (err) {
      if (MlopsError.is(err) && err.code === 'BLOB_NOT_FOUND') continue;
      throw err;
    }
    for (const e of listed) yield e.manifest;
  }
}

/** The pointer of versioned dataset `rel` (`<rel>.mlops`), or undefined when it is not versioned. */
export async function readDataPointer(root: string, rel: string): Promise<DataPointer | undefined> {
  const target = targetOf(root, rel);
  return readPointerIfExists(target.pointerAbs, target.pointerRel);
}
