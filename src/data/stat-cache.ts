import { mkdir, readFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../blobs/index.js';
import { ioError } from './fs-errors.js';

export const STAT_CACHE_FILE = 'stat-cache.json';

const entrySchema = z.object({
  ino: z.number(),
  size: z.number(),
  mtimeMs: z.number(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
const fileSchema = z.object({ version: z.literal(1), entries: z.record(z.string(), entrySchema) });

type StatEntry = z.infer<typeof entrySchema>;

/**
 * Remembers the sha256 of workspace files by (inode, size, mtime), so an unchanged file is not
 * re-hashed. Kept in `.mlops/stat-cache.json`, keyed by workspace-relative path, written
 * atomically. It is only a cache: a missing or unreadable file starts empty, and a file whose
 * stat changed while it was read is not recorded.
 */
export class StatCache {
  readonly #path: string;
  readonly #entries: Map<string, StatEntry>;
  #dirty = false;

  private constructor(path: string, entries: Map<string, StatEntry>) {
    this.#path = path;
    this.#entries = entries;
  }

  static async load(stateDir: string): Promise<StatCache> {
    const path = join(stateDir, STAT_CACHE_FILE);
    let entries = new Map<string, StatEntry>();
    try {
      const parsed = fileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (parsed.success) entries = new Map(Object.entries(parsed.data.entries));
    } catch {
      // Missing or unreadable: start empty (everything gets hashed once).
    }
    return new StatCache(path, entries);
  }

  /** The cached sha256 of `rel` when its stat still matches, else undefined. */
  lookup(rel: string, stats: Stats): string | undefined {
    const entry = this.#entries.get(rel);
    if (!entry) return undefined;
    return entry.ino === stats.ino && entry.size === stats.size && entry.mtimeMs === stats.mtimeMs
      ? entry.sha256
      : undefined;
  }

  record(rel: string, stats: Stats, sha256: string): void {
    const old = this.#entries.get(rel);
    if (
      old?.sha256 === sha256 &&
      old.ino === stats.ino &&
      old.size === stats.size &&
      old.mtimeMs === stats.mtimeMs
    ) {
      return;
    }
    this.#entries.set(rel, { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, sha256 });
    this.#dirty = true;
  }

  /** Writes the cache if anything changed (temp file + fsync + rename). */
  async save(): Promise<void> {
    if (!this.#dirty) return;
    const entries = Object.fromEntries([...this.#entries].sort(([a], [b]) => (a < b ? -1 : 1)));
    const text = JSON.stringify({ version: 1, entries });
    try {
      await mkdir(join(this.#path, '..'), { recursive: true });
      await writeFileAtomic(this.#path, [Buffer.from(text, 'utf8')]);
    } catch (err) {
      throw ioError('write', this.#path, err);
    }
    this.#dirty = false;
  }
}

/** True when two stats describe the same unchanged file. */
export function sameStats(a: Stats, b: Stats): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}
