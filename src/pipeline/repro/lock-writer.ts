import { canonicalJson } from '../lock/canonical-json.js';
import { formatLockEntry, formatLockFile, writeLockFile } from '../lock/lock-file.js';
import { LOCK_SCHEMA, type LockFile, type LockedStage } from '../lock/lock-types.js';

/**
 * The lock as stages finish: each finished stage's entry is written at once (so a later failure
 * keeps it), one write at a time, entries in pipeline order; entries of stages no longer in the
 * pipeline are dropped with the first write.
 */
export class LockWriter {
  readonly #entries: Map<string, LockedStage>;
  readonly #order: readonly string[];
  #writing: Promise<void> = Promise.resolve();
  #dirty = false;
  readonly #formatted = new Map<string, { entry: LockedStage; text: string }>();

  constructor(
    readonly root: string,
    lock: LockFile,
    order: readonly string[],
  ) {
    this.#order = order;
    this.#entries = new Map(Object.entries(lock.stages));
  }

  set(name: string, entry: LockedStage): Promise<void> {
    const old = this.#entries.get(name);
    if (old !== undefined && canonicalJson(old) === canonicalJson(entry)) return this.#writing;
    this.#entries.set(name, entry);
    this.#dirty = true;
    return this.flush();
  }

  /** Waits for the writes queued so far (and writes once more if anything changed since). */
  flush(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      await writeLockFile(this.root, this.#text());
    });
    return this.#writing;
  }

  /** The lock's text, re-formatting only the entries that changed since the last write. */
  #text(): string {
    const parts: string[] = [];
    for (const name of this.#order) {
      const entry = this.#entries.get(name);
      if (!entry) continue;
      let cached = this.#formatted.get(name);
      if (cached?.entry !== entry) {
        cached = { entry, text: formatLockEntry(name, entry) };
        this.#formatted.set(name, cached);
      }
      parts.push(cached.text);
    }
    if (parts.length === 0) return formatLockFile(this.snapshot());
    return `schema: '${LOCK_SCHEMA}'\nstages:\n${parts.join('')}`;
  }

  snapshot(): LockFile {
    const stages: Record<string, LockedStage> = {};
    for (const name of this.#order) {
      const entry = this.#entries.get(name);
      if (entry) stages[name] = entry;
    }
    return { schema: LOCK_SCHEMA, stages };
  }
}
