import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { resolve, sep } from 'node:path';
import { invalidParam } from '../core/index.js';
import { ioError, isNotFound } from './fs-errors.js';
import { POINTER_SUFFIX } from './pointer.js';
import { sortEntries } from './directory-listing.js';

/** Directories never searched for pointer files. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', '.mlops', 'node_modules']);

/** The data name a pointer file's name stands for (`a.csv.mlops` -> `a.csv`), else undefined. */
export function pointerDataName(name: string): string | undefined {
  return name.endsWith(POINTER_SUFFIX) && name !== POINTER_SUFFIX
    ? name.slice(0, -POINTER_SUFFIX.length)
    : undefined;
}

/**
 * The part of a stat the data commands use. Kept instead of the `Stats` object: Node 20 builds
 * four `Date`s per `Stats`, and holding 100,000 of them made garbage collection a fifth of a
 * status.
 */
export type FileStat = Pick<Stats, 'ino' | 'size' | 'mtimeMs' | 'mode'>;

/** A regular file under a walked directory; `path` is relative to it, '/'-separated. */
export interface WalkedFile {
  readonly path: string;
  readonly stats: FileStat;
}

export interface DirectoryWalk {
  /** Sorted by path. */
  readonly files: WalkedFile[];
  /**
   * Data paths (relative, '/'-separated) of the pointer files met on the way, outside
   * `SKIPPED_DIRS`: what a pointer search that skips this directory would have missed.
   */
  readonly pointers: string[];
}

/** Stat calls between two yields to the event loop. */
const YIELD_EVERY = 2000;

/**
 * Every regular file under directory `abs`, with its stat. Symlinks inside a versioned directory
 * are refused (naming them, under `shown`) rather than followed or copied; a file or directory
 * that vanishes during the walk is left out.
 *
 * The calls are synchronous on purpose: an async stat costs a thread-pool round trip (~60-300 µs
 * here) against a few µs for `statSync`, and a no-change status of 100,000 files is nothing but
 * stats. The event loop is yielded every few thousand calls so a server stays responsive.
 */
export async function walkFiles(abs: string, shown: string): Promise<DirectoryWalk> {
  const files: WalkedFile[] = [];
  const pointers: string[] = [];
  const pending: { dir: string; prefix: string; searched: boolean }[] = [
    { dir: resolve(abs), prefix: '', searched: true },
  ];
  let calls = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { dir, prefix, searched } = next;
    // Names in order and subdirectories visited in order: the result is then a few sorted runs,
    // which the final sort merges in near-linear time.
    const dirents = readDir(dir, prefix === '').sort((a, b) => (a.name < b.name ? -1 : 1));
    const subdirs: typeof pending = [];
    for (const d of dirents) {
      const rel = prefix === '' ? d.name : `${prefix}/${d.name}`;
      // Concatenated, not `join`ed: normalising 100,000 paths cost more than stat-ing them.
      const path = `${dir}${sep}${d.name}`;
      if (d.isDirectory()) {
        subdirs.push({ dir: path, prefix: rel, searched: searched && !SKIPPED_DIRS.has(d.name) });
      } else if (d.isFile()) {
        const stats = statFile(path);
        if (stats?.isFile()) {
          const { ino, size, mtimeMs, mode } = stats;
          files.push({ path: rel, stats: { ino, size, mtimeMs, mode } });
        }
        const data = searched ? pointerDataName(d.name) : undefined;
        if (data !== undefined) pointers.push(prefix === '' ? data : `${prefix}/${data}`);
        if (++calls % YIELD_EVERY === 0) await new Promise<void>((r) => setImmediate(r));
      } else if (d.isSymbolicLink()) {
        throw invalidParam(
          `${shown}/${rel} is a symlink; a versioned directory may hold only regular files and directories.`,
          { path: `${shown}/${rel}` },
        );
      }
    }
    pending.push(...subdirs.reverse()); // popped in name order
  }
  return { files: sortEntries(files), pointers: pointers.sort() };
}

/** The entries of `dir`; a subdirectory removed since its parent was read has none. */
function readDir(dir: string, top: boolean): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (!top && isNotFound(err)) return [];
    throw ioError('list', dir, err);
  }
}

function statFile(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    throw ioError('stat', path, err);
  }
}
