import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../blobs/index.js';
import { addData } from './add-data.js';
import type { DataContext } from './data-context.js';
import { dataStatus } from './data-status.js';
import { readListing } from './directory-listing.js';
import { readPointerFile } from './pointer.js';
import { STAT_CACHE_FILE } from './stat-cache.js';

describe('dataStatus of a versioned directory', () => {
  let root: string;
  let reads: string[];
  let ctx: DataContext;
  const minuteAgo = () => new Date(Date.now() - 60_000);
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mlops-data-status-'));
    reads = [];
    ctx = {
      root,
      stateDir: join(root, '.mlops'),
      blobs: new LocalBlobStore(join(root, '.mlops', 'blobs')),
      onRead: (rel) => reads.push(rel),
    };
    await mkdir(join(root, 'd/sub'), { recursive: true });
    for (const [rel, text] of [
      ['d/a.txt', 'aaaa'],
      ['d/sub/b.txt', 'bbbb'],
    ] as const) {
      await writeFile(join(root, rel), text);
      await utimes(join(root, rel), minuteAgo(), minuteAgo());
    }
    await addData(ctx, ['d']);
    reads.length = 0;
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const status = async () => (await dataStatus(ctx)).map((e) => `${e.path} ${e.status}`);

  it('says ok without reading a file when nothing changed', async () => {
    expect(await status()).toEqual(['d ok']);
    expect(reads).toEqual([]);
  });

  it('sees a same-size edit (new mtime), a resize, a deletion and a new file', async () => {
    await writeFile(join(root, 'd/a.txt'), 'AAAA');
    expect(await status()).toEqual(['d modified']);
    expect(reads).toEqual(['d/a.txt']);
    await writeFile(join(root, 'd/a.txt'), 'aaaa');
    expect(await status()).toEqual(['d ok']);
    await writeFile(join(root, 'd/sub/b.txt'), 'bbbbb');
    expect(await status()).toEqual(['d modified']);
    await writeFile(join(root, 'd/sub/b.txt'), 'bbbb');
    expect(await status()).toEqual(['d ok']);
    await rm(join(root, 'd/sub/b.txt'));
    expect(await status()).toEqual(['d modified']);
    await writeFile(join(root, 'd/sub/b.txt'), 'bbbb');
    await writeFile(join(root, 'd/sub/new.txt'), '');
    expect(await status()).toEqual(['d modified']);
  });

  it('re-reads a file whose cache entry is racy, though its stat is unchanged', async () => {
    // A rewrite within one timestamp tick keeps inode, size and mtime: only the guard sees it.
    const tick = new Date(Math.floor(Date.now() / 1000) * 1000);
    await writeFile(join(root, 'd/a.txt'), 'aaaa');
    await utimes(join(root, 'd/a.txt'), tick, tick);
    expect(await status()).toEqual(['d ok']); // hashed and recorded with a recent mtime
    await writeFile(join(root, 'd/a.txt'), 'AAAA');
    await utimes(join(root, 'd/a.txt'), tick, tick);
    expect(await status()).toEqual(['d modified']);
    expect(reads).toEqual(['d/a.txt', 'd/a.txt']);
  });

  it('still answers, and rebuilds the cache, when the stat cache file is corrupt', async () => {
    const cacheFile = join(ctx.stateDir, STAT_CACHE_FILE);
    await writeFile(cacheFile, '{"version":2,"entries":[["d/a.txt",1,');
    expect(await status()).toEqual(['d ok']);
    expect(reads.sort()).toEqual(['d/a.txt', 'd/sub/b.txt']);
    expect(JSON.parse(await readFile(cacheFile, 'utf8'))).toMatchObject({ version: 2 });
    reads.length = 0;
    expect(await status()).toEqual(['d ok']);
    expect(reads).toEqual([]);
  });

  it('reports missing-cache when a listed file manifest is gone', async () => {
    const pointer = await readPointerFile(join(root, 'd.mlops'), 'd.mlops');
    const [first] = await readListing(ctx.blobs, pointer.manifest);
    await ctx.blobs.delete(first?.manifest ?? '');
    expect(await dataStatus(ctx)).toMatchObject([{ path: 'd', status: 'missing-cache' }]);
  });

  it('still reports a pointer inside a versioned directory', async () => {
    await writeFile(join(root, 'd/sub/c.csv'), 'c\n');
    await addData(ctx, ['d/sub/c.csv']);
    expect(await status()).toEqual(['d modified', 'd/sub/c.csv ok']);
    expect(await dataStatus(ctx, ['d'])).toMatchObject([{ path: 'd' }]);
  });
});
