import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { invalidParam } from '../core/index.js';
import { DEFAULT_CONCURRENCY, type DataContext } from './data-context.js';
import { directoryHash, fileMode, sortEntries } from './directory-listing.js';
import { ioError, isNotFound } from './fs-errors.js';
import { hashFile } from './hash-file.js';
import { mapLimit } from './map-limit.js';
import { sameStats, type StatCache } from './stat-cache.js';

/** A workspace file's identity as seen now. */
export interface HashedFile {
  readonly sha256: string;
  readonly size: number;
  readonly stats: Stats;
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

/** The sha256 of a workspace file, from the stat cache when its stat is unchanged. */
export async function hashWorkspaceFile(
  ctx: DataContext,
  cache: StatCache,
  rel: string,
  abs: string,
  stats: Stats,
): Promise<HashedFile> {
  const cached = cache.lookup(rel, stats);
  if (cached !== undefined) return { sha256: cached, size: stats.size, stats };
  ctx.onRead?.(rel);
  const { sha256, size } = await hashFile(abs);
  const after = await statIfExists(abs);
  if (after && sameStats(stats, after) && after.size === size) cache.record(rel, after, sha256);
  return { sha256, size, stats };
}

/**
 * The files under directory `abs` as '/'-separated paths relative to it, sorted. Symlinks inside
 * a versioned directory are refused (naming them) rather than followed or copied.
 */
export async function listDirectoryFiles(abs: string, shown: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    let dirents;
    try {
      dirents = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw ioError('list', dir, err);
    }
    for (const d of dirents) {
      const rel = prefix === '' ? d.name : `${prefix}/${d.name}`;
      if (d.isDirectory()) await walk(join(dir, d.name), rel);
      else if (d.isFile()) out.push(rel);
      else if (d.isSymbolicLink()) {
        throw invalidParam(
          `${shown}/${rel} is a symlink; a versioned directory may hold only regular files and directories.`,
          { path: `${shown}/${rel}` },
        );
      }
    }
  }
  await walk(abs, '');
  return sortEntries(out.map((path) => ({ path }))).map((e) => e.path);
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
  const files = await listDirectoryFiles(abs, rel);
  const entries = await mapLimit(files, ctx.concurrency ?? DEFAULT_CONCURRENCY, async (path) => {
    const fileAbs = join(abs, ...path.split('/'));
    const fileStats = await stat(fileAbs);
    const h = await hashWorkspaceFile(ctx, cache, `${rel}/${path}`, fileAbs, fileStats);
    return { path, sha256: h.sha256, size: h.size, mode: fileMode(fileStats.mode) };
  });
  return {
    kind: 'directory',
    sha256: directoryHash(entries),
    size: entries.reduce((sum, e) => sum + e.size, 0),
    files: entries.length,
  };
}
