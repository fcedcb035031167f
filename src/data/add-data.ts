import { readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { MlopsError, invalidParam } from '../core/index.js';
import { storeBytes, storeFile } from '../blobs/index.js';
import { incompleteFiles, storedFileComplete } from './cache-check.js';
import { DEFAULT_CONCURRENCY, type DataContext } from './data-context.js';
import {
  directoryHash,
  encodeListing,
  fileMode,
  readListing,
  type ListingEntry,
} from './directory-listing.js';
import { targetOf, type PointerTarget } from './find-pointers.js';
import { ioError, isNotFound } from './fs-errors.js';
import { ignoreInGit, ignoreStateDir } from './gitignore.js';
import { SMALL_FILE_BYTES } from './hash-file.js';
import { mapLimit } from './map-limit.js';
import { readPointerIfExists, writePointerFile, type DataPointer } from './pointer.js';
import { StatCache } from './stat-cache.js';
import { walkFiles, type FileStat, type WalkedFile } from './walk-files.js';
import { hashWorkspaceFile, statIfExists } from './workspace-hash.js';
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
 * `<path>.mlops` (atomically, once the bytes are stored and flushed) and git-ignores the data.
 * Every path is checked before anything is written. Unchanged files are recognised by the stat
 * cache (or by hashing when the size matches the old pointer) and nothing new is written for
 * them; a directory's files are written unsynced and made durable by one flush.
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
  const pointer = await storeTarget(ctx, cache, target, stats, previous);
  // The pointer is the commit point: everything it names must be durable before it is written.
  await ctx.blobs.flush();
  await writePointerFile(target.pointerAbs, pointer);
  return {
    path: target.rel,
    sha256: pointer.sha256,
    size: pointer.size,
    ...(pointer.files === undefined ? {} : { files: pointer.files }),
    changed: previous?.sha256 !== pointer.sha256 || previous.files !== pointer.files,
  };
}

/**
 * Stores a workspace file or directory (unflushed: the caller flushes once at its commit point)
 * and returns the pointer that names it; `previous` lets unchanged files go unread.
 */
export function storeTarget(
  ctx: DataContext,
  cache: StatCache,
  target: PointerTarget,
  stats: Stats,
  previous: DataPointer | undefined,
): Promise<DataPointer> {
  return stats.isDirectory()
    ? addDirectory(ctx, cache, target, previous)
    : addFileTarget(ctx, cache, target, stats, previous);
}

async function addFileTarget(
  ctx: DataContext,
  cache: StatCache,
  target: PointerTarget,
  stats: Stats,
  previous: DataPointer | undefined,
): Promise<DataPointer> {
  const prev = previous && previous.files === undefined ? previous : undefined;
  const kept = await unchangedFile(ctx, cache, target.rel, target.abs, stats, prev);
  const stored =
    kept && (await storedFileComplete(ctx.blobs, kept.manifest))
      ? kept
      : await storeWorkspaceFile(ctx, cache, target.rel, target.abs, stats);
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
  const { files } = await walkFiles(target.abs, target.rel);
  const concurrency = ctx.concurrency ?? DEFAULT_CONCURRENCY;
  const relOf = (file: WalkedFile) => `${target.rel}/${file.path}`;
  const absOf = (file: WalkedFile) => join(target.abs, ...file.path.split('/'));
  const kept = new Set<number>();
  const entries: ListingEntry[] = await mapLimit(files, concurrency, async (file, i) => {
    const previousFile = old.get(file.path);
    const same = await unchangedFile(
      ctx,
      cache,
      relOf(file),
      absOf(file),
      file.stats,
      previousFile,
    );
    if (same) kept.add(i);
    const stored =
      same ?? (await storeWorkspaceFile(ctx, cache, relOf(file), absOf(file), file.stats));
    return { path: file.path, mode: fileMode(file.stats.mode), ...stored };
  });
  // Files taken over from the old listing unread: one batched check that the store still holds
  // them (rather than one per file), storing again whatever it lost.
  const lost = await incompleteFiles(
    ctx.blobs,
    [...kept].map((i) => entries[i]?.manifest ?? ''),
  );
  const redo = [...kept].filter((i) => lost.has(entries[i]?.manifest ?? ''));
  await mapLimit(redo, concurrency, async (i) => {
    const file = files[i] as WalkedFile;
    const stored = await storeWorkspaceFile(ctx, cache, relOf(file), absOf(file), file.stats);
    entries[i] = { path: file.path, mode: fileMode(file.stats.mode), ...stored };
  });
  const sha256 = directoryHash(entries);
  const size = entries.reduce((sum, e) => sum + e.size, 0);
  // Every file as the old listing had it, and that listing was read whole: nothing to write.
  if (
    previous?.files === entries.length &&
    previous.sha256 === sha256 &&
    kept.size === entries.length &&
    redo.length === 0
  ) {
    return previous;
  }
  const listing = await storeBytes(ctx.blobs, encodeListing(entries), NO_FLUSH);
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
 * `previous` when it already names the file's bytes: a stat-cache hit tells, or, when only the
 * size matches, one hash. Whether the store still holds them is the caller's check.
 */
async function unchangedFile(
  ctx: DataContext,
  cache: StatCache,
  rel: string,
  abs: string,
  stats: FileStat,
  previous: StoredRef | undefined,
): Promise<StoredRef | undefined> {
  if (previous === undefined) return undefined;
  let known = cache.lookup(rel, stats);
  if (known === undefined && previous.size === stats.size) {
    known = (await hashWorkspaceFile(ctx, cache, rel, abs, stats)).sha256;
  }
  if (known !== previous.sha256) return undefined;
  return { sha256: previous.sha256, size: previous.size, manifest: previous.manifest };
}

/** Durable at the caller's one `flush`, before the pointer is written. */
const NO_FLUSH = { flush: false } as const;

/**
 * Stores one workspace file, reading it once to hash and store together. Small files are read
 * whole in one synchronous call (see SMALL_FILE_BYTES); larger ones are streamed.
 */
async function storeWorkspaceFile(
  ctx: DataContext,
  cache: StatCache,
  rel: string,
  abs: string,
  stats: FileStat,
): Promise<StoredRef> {
  ctx.onRead?.(rel);
  const stored =
    stats.size <= SMALL_FILE_BYTES
      ? await storeBytes(ctx.blobs, readSmallFile(abs), NO_FLUSH)
      : await storeFile(ctx.blobs, abs, NO_FLUSH);
  // With the stat from before the read (see hashWorkspaceFile).
  if (stored.size === stats.size) cache.record(rel, stats, stored.sha256);
  return { sha256: stored.sha256, size: stored.size, manifest: stored.manifestId };
}

function readSmallFile(abs: string): Buffer {
  try {
    return readFileSync(abs);
  } catch (err) {
    if (isNotFound(err)) {
      throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `Cannot store ${abs}: no such file.`, {
        cause: err,
      });
    }
    throw ioError('read', abs, err);
  }
}
