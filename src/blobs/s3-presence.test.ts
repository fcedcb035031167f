import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findPresent, type PresenceProbe } from './s3-presence.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const hashes = (n: number, tag: string) => Array.from({ length: n }, (_, i) => sha(`${tag}${i}`));

/**
 * A probe over in-memory stored hashes, each of size 100 unless `sizes` says otherwise, that
 * counts what was asked of it.
 */
function fakeProbe(
  stored: readonly string[],
  pageSize: number,
  sizes: ReadonlyMap<string, number> = new Map(),
) {
  const calls = { heads: 0, listPages: 0, lists: [] as string[] };
  const sizeOf = (hash: string) => sizes.get(hash) ?? 100;
  const probe: PresenceProbe = {
    async head(hash) {
      calls.heads += 1;
      return stored.includes(hash) ? sizeOf(hash) : undefined;
    },
    async list(shard, maxPages) {
      calls.lists.push(shard);
      const all = stored.filter((h) => h.startsWith(shard));
      const pagesNeeded = Math.max(1, Math.ceil(all.length / pageSize));
      const pages = Math.min(pagesNeeded, maxPages);
      calls.listPages += pages;
      return {
        sizes: new Map(all.slice(0, pages * pageSize).map((h) => [h, sizeOf(h)])),
        pages,
        complete: pages === pagesNeeded,
      };
    },
  };
  return { probe, calls };
}

/**
 * A store of `storedCount` blobs; asks for `wantedStored` of them and `wantedAbsent` others,
 * checks the answer and returns what the probe was asked.
 */
async function check(
  storedCount: number,
  wantedStored: number,
  wantedAbsent: number,
  options: { concurrency: number; pageSize: number; onChecked?: (n: number) => void },
) {
  const stored = hashes(storedCount, 's');
  const { probe, calls } = fakeProbe(stored, options.pageSize);
  const wanted = [...stored.slice(0, wantedStored), ...hashes(wantedAbsent, 'x')];
  const present = await findPresent(wanted, probe, options);
  expect(present).toEqual(new Set(stored.slice(0, wantedStored)));
  return calls;
}

describe('findPresent', () => {
  it('looks up a few hashes one by one', async () => {
    const calls = await check(3, 2, 2, { concurrency: 8, pageSize: 1000 });
    expect(calls).toMatchObject({ heads: 4, listPages: 0 });
  });

  it('lists the whole prefix once for a small store, reporting progress', async () => {
    const seen: number[] = [];
    const calls = await check(500, 300, 700, {
      concurrency: 16,
      pageSize: 1000,
      onChecked: (n) => seen.push(n),
    });
    expect(calls.heads).toBe(0);
    // The sample shard, then everything.
    expect(calls.lists).toHaveLength(2);
    expect(calls.lists[1]).toBe('');
    expect(seen.at(-1)).toBe(1000);
  });

  it('lists shard by shard when the store is too large to list whole', async () => {
    const calls = await check(20_000, 2000, 2000, { concurrency: 16, pageSize: 10 });
    expect(calls.lists).not.toContain('');
    // Shards hold ~78 keys (8 pages) and ~16 wanted blobs: listing is cheaper than a HEAD each.
    expect(calls.listPages).toBeLessThan(2000);
  });

  it('falls back to a HEAD each when shards hold far more than is wanted', async () => {
    const calls = await check(20_000, 20, 20, { concurrency: 4, pageSize: 2 });
    expect(calls.lists).toHaveLength(1);
    expect(calls.heads).toBe(40);
  });

  it('counts a blob stored with another size than expected as absent', async () => {
    const stored = hashes(500, 's');
    const [short, unchecked, ...rest] = stored as [string, string, ...string[]];
    const { probe, calls } = fakeProbe(stored, 1000, new Map([[short, 7]]));
    const sizes = new Map([short, unchecked, ...rest].map((h) => [h, 100]));
    sizes.delete(unchecked);
    // Through HEADs (a few hashes), then through listings (many).
    const few = await findPresent([short, unchecked, ...rest.slice(0, 2)], probe, {
      concurrency: 8,
      pageSize: 1000,
      sizes,
    });
    expect(few).toEqual(new Set([unchecked, ...rest.slice(0, 2)]));
    expect(calls.heads).toBe(4);
    const many = await findPresent(stored, probe, { concurrency: 8, pageSize: 1000, sizes });
    expect(calls.lists.length).toBeGreaterThan(0);
    expect(many).toEqual(new Set([unchecked, ...rest]));
  });

  it('passes a failure on', async () => {
    const probe: PresenceProbe = {
      head: () => Promise.reject(new Error('down')),
      list: () => Promise.reject(new Error('down')),
    };
    await expect(
      findPresent(hashes(40, 'x'), probe, { concurrency: 4, pageSize: 1000 }),
    ).rejects.toThrow('down');
    await expect(
      findPresent(hashes(2, 'x'), probe, { concurrency: 4, pageSize: 1000 }),
    ).rejects.toThrow('down');
  });
});
