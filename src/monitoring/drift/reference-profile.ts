import { invalidParam } from '../../core/index.js';
import type { MonitorDataset } from '../dataset.js';
import { profileSides, type SideProfile } from './side-profile.js';
import { defaultWorkers, withSortPool } from './sort-pool.js';

/**
 * What a drift computation needs from the reference that does not depend on current data, per
 * column: the missing-value count, the finite values sorted once, distinct count, mean,
 * population std, min and max (or, for labels, the counts). Compute it once with
 * `profileReference` and pass it to `computeDataDrift` for every window: each window then sorts
 * only its own values. Read-only; safe to share between calls.
 */
export interface ReferenceProfile {
  readonly type: 'reference-profile';
  readonly rows: number;
  readonly columns: ReadonlyMap<string, SideProfile>;
}

export interface ProfileOptions {
  /** Columns to profile; default every column. */
  readonly columns?: readonly string[];
  /** Worker threads for the sorts; 0 = this thread. Default: by size. */
  readonly workers?: number;
}

export function isReferenceProfile(value: unknown): value is ReferenceProfile {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'reference-profile'
  );
}

/** Profiles the reference once so that later `computeDataDrift` calls skip its sorts. */
export async function profileReference(
  reference: MonitorDataset,
  options: ProfileOptions = {},
): Promise<ReferenceProfile> {
  const all = Object.keys(reference.columns);
  const names = [...new Set(options.columns ?? all)];
  for (const name of names) {
    if (!Object.hasOwn(reference.columns, name)) {
      throw invalidParam(
        `reference profile: column '${name}' is not in the reference; reference columns: ${all.join(', ') || '(none)'}`,
        { column: name, columns: all },
      );
    }
  }
  const columns = names.map((name) => [name, reference.columns[name]!] as const);
  const total = columns.reduce((n, [, v]) => n + (v instanceof Float64Array ? v.length : 0), 0);
  const workers = options.workers ?? defaultWorkers(total);
  const sides = await withSortPool(workers, (pool) => profileSides(columns, pool, 'reference'));
  return Object.freeze({ type: 'reference-profile', rows: reference.rows, columns: sides });
}
