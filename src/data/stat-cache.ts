import { mkdir, readFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../blobs/index.js';
import { ioError } from './fs-errors.js';

export const STAT_CACHE_FILE = 'stat-cache.json';

/**
 * How much older than the moment it was recorded an entry's mtime must be for the entry to be
 * trusted. A file rewritten right after it was hashed can keep the same size and, within the
 * file system's timestamp granularity, the same mtime (git's "racy clean" problem), so such an
 * entry is re-hashed instead. 2 s covers the coarsest common granularity (FAT) and the kernel's
 * coarse clock; the cost is one extra hash of files written just before they were added.
 */
export const RACY_MARGIN_MS = 2000;

/** What an entry is keyed on: a file's identity and version as far as a stat tells. */
export type StatKey = Pick<Stats, 'ino' | 'size' | 'mtimeMs'>;

const FORMAT_VERSION = 2;

/**
 * One entry, as kept in memory and on disk: `[path, ino, size, mtimeMs, sha256, recordedMs]`,
 * where `recordedMs` is `Date.now()` when the hash was taken. Flat arrays, loaded as parsed and
 * checked by hand (not objects checked by a schema): 100,000 of them must load in ~0.1 s.
 */
type Entry = readonly [string, number, number, number, string, number];

/**
 * Remembers the sha256 of workspace files by (inode, size, mtime), so an unchanged file is not
 * re-hashed. Kept in `.mlops/stat-cache.json`, keyed by workspace-relative path, written
 * atomically. It is only a cache: a missing, unreadable or malformed file starts empty (and is
 * rewritten), a file whose stat changed while it was read is not recorded, and an entry too close
 * to its file's mtime is not trusted (RACY_MARGIN_MS).
 */
export class StatCache {
  readonly #path: string;
  readonly #entries: Map<string, Entry>;
  #dirty: boolean;

  private constructor(path: string, entries: Map<string, Entry>, dirty: boolean) {
    this.#path = path;
    this.#entries = entries;
    this.#dirty = dirty;
  }

  static async load(stateDir: string): Promise<StatCache> {
    const path = join(stateDir, STAT_CACHE_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      // Missing or unreadable: start empty (everything gets hashed once).
      return new StatCache(path, new Map(), false);
    }
    const entries = parseEntries(text);
    // Malformed or from an older format: start empty and replace it at the next save.
    return entries ? new StatCache(path, entries, false) : new StatCache(path, new Map(), true);
  }

  /** The cached sha256 of `rel` when its stat still matches and the entry is not racy. */
  lookup(rel: string, stats: StatKey): string | undefined {
    const entry = this.#entries.get(rel);
    return entry && matches(entry, stats) && !isRacy(entry) ? entry[4] : undefined;
  }

  /**
   * Call after reading the file, with the stat taken before the read: the entry's time is then
   * after the read, so a change during or after it shows as a new mtime or a racy entry.
   */
  record(rel: string, stats: StatKey, sha256: string): void {
    const old = this.#entries.get(rel);
    if (old?.[4] === sha256 && matches(old, stats) && !isRacy(old)) return;
    this.#entries.set(rel, [rel, stats.ino, stats.size, stats.mtimeMs, sha256, Date.now()]);
    this.#dirty = true;
  }

  /** Writes the cache if anything changed (temp file + fsync + rename). */
  async save(): Promise<void> {
    if (!this.#dirty) return;
    const text = JSON.stringify({ version: FORMAT_VERSION, entries: [...this.#entries.values()] });
    try {
      await mkdir(join(this.#path, '..'), { recursive: true });
      await writeFileAtomic(this.#path, [Buffer.from(text, 'utf8')]);
    } catch (err) {
      throw ioError('write', this.#path, err);
    }
    this.#dirty = false;
  }
}

function matches([, ino, size, mtimeMs]: Entry, stats: StatKey): boolean {
  return ino === stats.ino && size === stats.size && mtimeMs === stats.mtimeMs;
}

/** A later same-size write could have left the mtime unchanged: the hash may be stale. */
function isRacy([, , , mtimeMs, , recordedMs]: Entry): boolean {
  return mtimeMs >= recordedMs - RACY_MARGIN_MS;
}

/** The entries of a cache file, or undefined when any part of it is not as written. */
function parseEntries(text: string): Map<string, Entry> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const file = value as { version?: unknown; entries?: unknown } | null;
  if (typeof file !== 'object' || file === null || file.version !== FORMAT_VERSION)
    return undefined;
  if (!Array.isArray(file.entries)) return undefined;
  const entries = new Map<string, Entry>();
  for (const item of file.entries as unknown[]) {
    if (!isEntry(item)) return undefined;
    entries.set(item[0], item);
  }
  return entries;
}

/**
 * Shape and types only. The hash is checked for its length, not for hex digits (a regex per
 * entry was a third of the load time): a garbled one can only make a file look modified, and
 * `mlops data add` then re-hashes it and records the right one.
 */
function isEntry(item: unknown): item is Entry {
  return (
    Array.isArray(item) &&
    item.length === 6 &&
    typeof item[0] === 'string' &&
    typeof item[1] === 'number' &&
    typeof item[2] === 'number' &&
    typeof item[3] === 'number' &&
    typeof item[4] === 'string' &&
    item[4].length === 64 &&
    typeof item[5] === 'number'
  );
}
