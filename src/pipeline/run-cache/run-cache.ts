import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MlopsError } from '../../core/index.js';
import { writeFileAtomic } from '../../blobs/index.js';
import { canonicalJson } from '../lock/canonical-json.js';
import type { LockedDep, LockedStage } from '../lock/lock-types.js';
import { definitionOf, paramsOf } from '../repro/stage-state.js';
import type { StageSpec } from '../spec/pipeline-spec.js';

/** Where run-cache entries live under the workspace state directory. */
export const RUN_CACHE_DIR = 'run-cache';

/**
 * DVC's run-cache: earlier executions keyed by what went in (definition, dep hashes, param
 * values, out paths), each holding the lock entry it produced, so a stage whose inputs were seen
 * before gets its outs restored from the store instead of running. Entries are small JSON files
 * written atomically (`<dir>/<key[:2]>/<key>.json`); the newest execution per key wins.
 */
export class RunCache {
  constructor(readonly dir: string) {}

  /** DVC's eligibility rule: deps and outs, not always_changed, no persisted out. */
  static eligible(stage: StageSpec): boolean {
    return (
      !stage.alwaysChanged &&
      stage.deps.length > 0 &&
      stage.outs.length > 0 &&
      !stage.outs.some((o) => o.persist)
    );
  }

  static key(stage: StageSpec, deps: readonly LockedDep[]): string {
    const input = {
      ...definitionOf(stage),
      deps: deps.map((d) => [d.path, d.sha256]),
      params: paramsOf(stage),
      outs: stage.outs.map((o) => o.path),
    };
    return createHash('sha256').update(canonicalJson(input)).digest('hex');
  }

  #path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async lookup(key: string): Promise<LockedStage | undefined> {
    let text: string;
    try {
      text = await readFile(this.#path(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      return JSON.parse(text) as LockedStage;
    } catch {
      return undefined; // a damaged entry is a miss: the stage runs and rewrites it
    }
  }

  async save(key: string, entry: LockedStage): Promise<void> {
    const path = this.#path(key);
    try {
      await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
      await writeFileAtomic(path, [Buffer.from(JSON.stringify(entry))]);
    } catch (err) {
      throw new MlopsError(
        'IO_ERROR',
        `Cannot write run-cache entry ${path}: ${(err as Error).message}.`,
        { cause: err },
      );
    }
  }

  /** Every entry (for gc roots). */
  async *entries(): AsyncIterable<LockedStage> {
    let prefixes: string[];
    try {
      prefixes = await readdir(this.dir);
    } catch {
      return;
    }
    for (const prefix of prefixes.sort()) {
      let names: string[];
      try {
        names = await readdir(join(this.dir, prefix));
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        if (!name.endsWith('.json')) continue;
        const entry = await this.lookup(name.slice(0, -'.json'.length));
        if (entry) yield entry;
      }
    }
  }
}
