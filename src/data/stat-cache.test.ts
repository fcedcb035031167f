import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RACY_MARGIN_MS, STAT_CACHE_FILE, StatCache } from './stat-cache.js';

const SHA = 'a'.repeat(64);

describe('StatCache', () => {
  let dir: string;
  let stateDir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-stat-cache-'));
    stateDir = join(dir, '.mlops');
    file = join(dir, 'a.csv');
    await mkdir(stateDir);
    await writeFile(file, 'x\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const setMtime = (ms: number) => utimes(file, new Date(ms), new Date(ms));

  it('answers for an unchanged stat, across a save and a load', async () => {
    await setMtime(Date.now() - 60_000);
    const cache = await StatCache.load(stateDir);
    cache.record('a.csv', await stat(file), SHA);
    expect(cache.lookup('a.csv', await stat(file))).toBe(SHA);
    await cache.save();
    const again = await StatCache.load(stateDir);
    expect(again.lookup('a.csv', await stat(file))).toBe(SHA);
    await writeFile(file, 'y\n'); // same size, new mtime
    expect(again.lookup('a.csv', await stat(file))).toBeUndefined();
  });

  it('does not trust an entry whose mtime is not older than its recording (racy)', async () => {
    // Written just now: a same-size rewrite in the same timestamp tick would look unchanged.
    const cache = await StatCache.load(stateDir);
    cache.record('a.csv', await stat(file), SHA);
    expect(cache.lookup('a.csv', await stat(file))).toBeUndefined();
    // Just inside the margin: still racy. Well before it: trusted.
    await setMtime(Date.now() - RACY_MARGIN_MS + 500);
    cache.record('a.csv', await stat(file), SHA);
    expect(cache.lookup('a.csv', await stat(file))).toBeUndefined();
    await setMtime(Date.now() - RACY_MARGIN_MS - 1000);
    cache.record('a.csv', await stat(file), SHA);
    expect(cache.lookup('a.csv', await stat(file))).toBe(SHA);
  });

  it('re-records a racy entry once it is old enough, so the next run trusts it', async () => {
    const cache = await StatCache.load(stateDir);
    await setMtime(Date.now());
    cache.record('a.csv', await stat(file), SHA);
    await cache.save();
    const saved = await readFile(join(stateDir, STAT_CACHE_FILE), 'utf8');
    // Later (here: the file's mtime moved back), the re-hash records it again, now trusted.
    await setMtime(Date.now() - 60_000);
    const later = await StatCache.load(stateDir);
    expect(later.lookup('a.csv', await stat(file))).toBeUndefined();
    later.record('a.csv', await stat(file), SHA);
    await later.save();
    expect(await readFile(join(stateDir, STAT_CACHE_FILE), 'utf8')).not.toBe(saved);
    expect((await StatCache.load(stateDir)).lookup('a.csv', await stat(file))).toBe(SHA);
  });

  it.each([
    ['not JSON', '{"version":2,"entries":[['],
    ['an older format', JSON.stringify({ version: 1, entries: { 'a.csv': {} } })],
    ['a bad entry', JSON.stringify({ version: 2, entries: [['a.csv', 1, 2, 3, 'nothex', 4]] })],
    ['a short entry', JSON.stringify({ version: 2, entries: [['a.csv', 1, 2]] })],
    ['no entries', JSON.stringify({ version: 2 })],
    ['null', 'null'],
  ])('ignores a cache file holding %s, and rewrites it', async (_, text) => {
    await setMtime(Date.now() - 60_000);
    await writeFile(join(stateDir, STAT_CACHE_FILE), text);
    const cache = await StatCache.load(stateDir);
    expect(cache.lookup('a.csv', await stat(file))).toBeUndefined();
    await cache.save(); // replaced even with nothing recorded
    const rewritten = JSON.parse(await readFile(join(stateDir, STAT_CACHE_FILE), 'utf8'));
    expect(rewritten).toEqual({ version: 2, entries: [] });
    cache.record('a.csv', await stat(file), SHA);
    await cache.save();
    expect((await StatCache.load(stateDir)).lookup('a.csv', await stat(file))).toBe(SHA);
  });
});
