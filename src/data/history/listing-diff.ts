import type { ListingEntry } from '../directory-listing.js';

/** Files of a versioned directory that differ between two listings (paths relative to it). */
export interface ListingDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Present in both with different bytes or mode. */
  readonly changed: readonly string[];
  readonly unchanged: number;
}

type Listed = Pick<ListingEntry, 'path' | 'sha256' | 'mode'>;

/** Compares two directory listings by path; every list comes out sorted. */
export function diffListings(before: readonly Listed[], after: readonly Listed[]): ListingDiff {
  const old = new Map(before.map((e) => [e.path, e]));
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const e of after) {
    const was = old.get(e.path);
    old.delete(e.path);
    if (was === undefined) added.push(e.path);
    else if (was.sha256 !== e.sha256 || was.mode !== e.mode) changed.push(e.path);
    else unchanged++;
  }
  const sort = (xs: string[]) => xs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    added: sort(added),
    removed: sort([...old.keys()]),
    changed: sort(changed),
    unchanged,
  };
}
