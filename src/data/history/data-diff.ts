import { MlopsError } from '../../core/index.js';
import { readStoredFileChunks, type BlobStore } from '../../blobs/index.js';
import { storedFileComplete } from '../cache-check.js';
import type { DataContext } from '../data-context.js';
import { readListing } from '../directory-listing.js';
import type { DataPointer } from '../pointer.js';
import { requireGitWorkspace, resolveCommit } from './git.js';
import { diffListings, type ListingDiff } from './listing-diff.js';
import { pointersAtCommit, pointersInWorkingTree, type PathPointer } from './revision-pointers.js';
import { diffRows, isRowFile, type RowDiff } from './row-diff.js';

export type DiffStatus = 'added' | 'removed' | 'modified' | 'unchanged';

/** One versioned path compared between two revisions. */
export interface DataDiffEntry {
  readonly path: string;
  readonly status: DiffStatus;
  /** What the path is on the newer side (on the older side when removed). */
  readonly kind: 'file' | 'directory';
  readonly sha256Before: string | null;
  readonly sha256After: string | null;
  /** Bytes (for a directory: of all its files). */
  readonly sizeBefore: number | null;
  readonly sizeAfter: number | null;
  readonly filesBefore?: number;
  readonly filesAfter?: number;
  /** Modified CSV-like files (see `isRowFile`) whose two versions are in the local cache. */
  readonly rows?: RowDiff;
  /** Modified directories whose two listings are in the local cache. */
  readonly fileChanges?: ListingDiff;
  /** Why `rows` or `fileChanges` is absent where it would apply. */
  readonly note?: string;
}

/** A side of the comparison: a git revision (and its commit), or the working tree. */
export interface DiffSide {
  readonly rev: string;
  /** null for the working tree. */
  readonly commit: string | null;
}

export interface DataDiff {
  readonly from: DiffSide;
  readonly to: DiffSide;
  /** Every path with a pointer on either side, sorted. */
  readonly entries: readonly DataDiffEntry[];
}

/** How the working tree is named as a side. */
export const WORKING_TREE = 'working tree';

/**
 * `mlops data diff <rev-a> [<rev-b>]`: the pointers committed at `revA` against those at `revB`
 * (default: the pointer files in the working tree, i.e. what `data add` last recorded; workspace
 * edits not yet added are `data status`'s business). Rows and file lists are computed only from
 * bytes in the local cache; nothing is fetched.
 */
export async function diffData(ctx: DataContext, revA: string, revB?: string): Promise<DataDiff> {
  const ws = await requireGitWorkspace(ctx.root, 'mlops data diff');
  const fromCommit = await resolveCommit(ctx.root, revA);
  const toCommit = revB === undefined ? null : await resolveCommit(ctx.root, revB);
  const before = await pointersAtCommit(ctx.root, ws.prefix, fromCommit);
  const after =
    toCommit === null
      ? await pointersInWorkingTree(ctx.root)
      : await pointersAtCommit(ctx.root, ws.prefix, toCommit);
  return {
    from: { rev: revA, commit: fromCommit },
    to: { rev: revB ?? WORKING_TREE, commit: toCommit },
    entries: await diffPointerSets(ctx.blobs, before, after),
  };
}

/** Compares two sets of pointers path by path (sorted by path). */
export async function diffPointerSets(
  blobs: BlobStore,
  before: readonly PathPointer[],
  after: readonly PathPointer[],
): Promise<DataDiffEntry[]> {
  const old = new Map(before.map((p) => [p.path, p.pointer]));
  const now = new Map(after.map((p) => [p.path, p.pointer]));
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const out: DataDiffEntry[] = [];
  for (const path of paths) out.push(await diffOne(blobs, path, old.get(path), now.get(path)));
  return out;
}

async function diffOne(
  blobs: BlobStore,
  path: string,
  a: DataPointer | undefined,
  b: DataPointer | undefined,
): Promise<DataDiffEntry> {
  const status: DiffStatus =
    a === undefined
      ? 'added'
      : b === undefined
        ? 'removed'
        : a.sha256 === b.sha256 && (a.files === undefined) === (b.files === undefined)
          ? 'unchanged'
          : 'modified';
  const shown = b ?? a;
  const base: DataDiffEntry = {
    path,
    status,
    kind: shown?.files === undefined ? 'file' : 'directory',
    sha256Before: a?.sha256 ?? null,
    sha256After: b?.sha256 ?? null,
    sizeBefore: a?.size ?? null,
    sizeAfter: b?.size ?? null,
    ...(a?.files === undefined ? {} : { filesBefore: a.files }),
    ...(b?.files === undefined ? {} : { filesAfter: b.files }),
  };
  if (status !== 'modified' || a === undefined || b === undefined) return base;
  const aDir = a.files !== undefined;
  const bDir = b.files !== undefined;
  if (aDir !== bDir) return { ...base, note: `changed from a ${aDir ? 'directory' : 'file'}` };
  try {
    if (aDir) {
      const [x, y] = [await listingIfCached(blobs, a), await listingIfCached(blobs, b)];
      if (x === undefined || y === undefined) return { ...base, note: NOT_CACHED };
      return { ...base, fileChanges: diffListings(x, y) };
    }
    if (!isRowFile(path)) return base;
    const cached =
      (await storedFileComplete(blobs, a.manifest)) &&
      (await storedFileComplete(blobs, b.manifest));
    if (!cached) return { ...base, note: NOT_CACHED };
    const source = (p: DataPointer) => ({
      sha256: p.sha256,
      size: p.size,
      chunks: () => readStoredFileChunks(blobs, p.manifest),
    });
    return { ...base, rows: await diffRows(source(a), source(b)) };
  } catch (err) {
    if (MlopsError.is(err) && (err.code === 'BLOB_CORRUPT' || err.code === 'BLOB_NOT_FOUND')) {
      return {
        ...base,
        note: `cannot read the stored bytes (${err.code}); run \`mlops data verify\``,
      };
    }
    throw err;
  }
}

const NOT_CACHED = 'bytes not in the local cache';

async function listingIfCached(blobs: BlobStore, pointer: DataPointer) {
  if (!(await storedFileComplete(blobs, pointer.manifest))) return undefined;
  return readListing(blobs, pointer.manifest);
}
