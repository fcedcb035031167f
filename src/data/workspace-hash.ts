import { stat } from 'node:fs/promises';
import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { invalidParam } from '../core/index.js';
import { DEFAULT_CONCURRENCY, type DataContext } from './data-context.js';
import { directoryHash, fileMode, type ListingEntry } from './directory-listing.js';
import { ioError, isNotFound } from './fs-errors.js';
import { hashFile } from './hash-file.js';
import { mapLimit } from './map-limit.js';
import type { StatCache } from './stat-cache.js';
import { walkFiles, type FileStat } from './walk-files.js';

/** A workspace file's identity as seen now. */
export interface HashedFile {
  readonly sha256: string;
  readonly size: number;
  readonly stats: FileStat;
}

/** A workspace path's current state: missing, a file, or a directory with its files. */
export type WorkspaceState =
  | { readonly kind: 'missing' }
  | { readonly kind: 'file'; readonly sha256: string; readonly size: number }
  | {
      readonly kind: 'directory';
      readonly sha256: string;
      readonly size: number;
      readonly files: number;
      /** Data paths (relative to the directory) of pointer files inside it. */
      readonly pointers: readonly string[];
    };

/** `stat` that answers undefined for a missing path. */
export async function statIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw ioError('stat', path, err);
  }
}

/** `statIfExists` without the thread-pool round trip, for per-file checks in large directories. */
export function statIfExistsSync(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    throw ioError('stat', path, err);
  }
}

/** The sha256 of a workspace file, from the stat cache when its stat is unchanged. */
export async function hashWorkspaceFile(
  ctx: DataContext,
  cache: StatCache,
  rel: string,
  abs: string,
  stats: FileStat,
): Promise<HashedFile> {
  const cached = cache.lookup(rel, stats);
  if (cached !== undefined) return { sha256: cached, size: stats.size, stats };
  ctx.onRead?.(rel);
  const { sha256, size } = await hashFile(abs, stats.size);
  // Recorded with the stat taken before the read: a change during or after the read either
  // moves the mtime (a miss next time) or falls in the racy window StatCache does not trust.
  if (size === stats.size) cache.record(rel, stats, sha256);
  return { sha256, size, stats };
}

/** The current identity of a workspace file or directory (hashing only what the cache lacks). */
export async function workspaceState(
  ctx: DataContext,
  cache: StatCache,
  rel: string,
  abs: string,
): Promise<WorkspaceState> {
  const stats = await statIfExists(abs);
  if (!stats) return { kind: 'missing' };
  if (stats.isFile()) {
    const h = await hashWorkspaceFile(ctx, cache, rel, abs, stats);
    return { kind: 'file', sha256: h.sha256, size: h.size };
  }
  if (!stats.isDirectory()) throw invalidParam(`${rel} is neither a file nor a directory.`);
  const walk = await walkFiles(abs, rel);
  const entries: Pick<ListingEntry, 'path' | 'sha256' | 'mode' | 'size'>[] = [];
  const misses: number[] = [];
  // Cache hits are answered in one synchronous pass; only misses pay for async hashing.
  for (const [i, { path, stats: s }] of walk.files.entries()) {
    const sha256 = cache.lookup(`${rel}/${path}`, s) ?? '';
    if (sha256 === '') misses.push(i);
    entries.push({ path, sha256, size: s.size, mode: fileMode(s.mode) });
  }
  await mapLimit(misses, ctx.concurrency ?? DEFAULT_CONCURRENCY, async (i) => {
    const { path, stats: s } = walk.files[i] as (typeof walk.files)[number];
    const h = await hashWorkspaceFile(
      ctx,
      cache,
      `${rel}/${path}`,
      join(abs, ...path.split('/')),
      s,
    );
    entries[i] = { path, sha256: h.sha256, size: h.size, mode: fileMode(s.mode) };
  });
  return {
    kind: 'directory',
    sha256: directoryHash(entries),
    size: entries.reduce((sum, e) => sum + e.size, 0),
    files: entries.length,
    pointers: walk.pointers,
  };
}
