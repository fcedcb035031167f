import { mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../blobs/index.js';
import { expectCode } from '../testing/index.js';
import { addData } from './add-data.js';
import type { DataContext } from './data-context.js';
import { dataStatus } from './data-status.js';
import { readPointerFile } from './pointer.js';
import { STAT_CACHE_FILE } from './stat-cache.js';

describe('addData', () => {
  let base: string;
  let root: string;
  let reads: string[];
  let ctx: DataContext;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'mlops-data-add-'));
    root = join(base, 'ws');
    await mkdir(join(root, 'data'), { recursive: true });
    reads = [];
    ctx = {
      root,
      stateDir: join(root, '.mlops'),
      blobs: new LocalBlobStore(join(root, '.mlops', 'blobs')),
      onRead: (rel) => reads.push(rel),
    };
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  /** Writes `text` with an mtime a minute back, so the stat cache trusts it (not racy). */
  const writeOld = async (rel: string, text: string) => {
    await writeFile(join(root, rel), text);
    const past = new Date(Date.now() - 60_000);
    await utimes(join(root, rel), past, past);
  };

  const blobCount = async () => {
    let n = 0;
    for await (const _ of ctx.blobs.list()) n++;
    return n;
  };

  it('stores the file, writes the pointer and git-ignores the data', async () => {
    await writeFile(join(root, 'data/a.csv'), 'x,y\n1,2\n');
    const [added] = await addData(ctx, ['data/a.csv']);
    expect(added).toMatchObject({ path: 'data/a.csv', size: 8, changed: true });
    const pointer = await readPointerFile(join(root, 'data/a.csv.mlops'), 'p');
    expect(pointer.sha256).toBe(added?.sha256);
    expect(await readFile(join(root, '.gitignore'), 'utf8')).toBe('/data/a.csv\n');
    expect(await dataStatus(ctx)).toMatchObject([{ path: 'data/a.csv', status: 'ok' }]);
  });

  it('re-adding an unchanged file reads nothing and writes nothing new', async () => {
    await writeOld('data/a.csv', 'x,y\n1,2\n');
    await addData(ctx, ['data/a.csv']);
    expect(reads).toEqual(['data/a.csv']); // hashed and stored in one pass
    const pointerMtime = (await stat(join(root, 'data/a.csv.mlops'))).mtimeMs;
    const blobs = await blobCount();
    const [again] = await addData(ctx, ['data/a.csv']);
    expect(again?.changed).toBe(false);
    expect(reads).toEqual(['data/a.csv']);
    expect(await blobCount()).toBe(blobs);
    expect((await stat(join(root, 'data/a.csv.mlops'))).mtimeMs).toBe(pointerMtime);
  });

  it('trusts the stat cache while the stat is unchanged (no re-hash)', async () => {
    await writeOld('data/a.csv', 'x,y\n1,2\n');
    await addData(ctx, ['data/a.csv']);
    expect(await dataStatus(ctx)).toMatchObject([{ status: 'ok' }]);
    expect(reads).toEqual(['data/a.csv']);
    // A deliberately wrong cached hash is believed as long as inode, size and mtime match:
    // proof that status did not read the file.
    const cacheFile = join(root, '.mlops', STAT_CACHE_FILE);
    const cache = JSON.parse(await readFile(cacheFile, 'utf8')) as { entries: unknown[][] };
    const entry = cache.entries.find((e) => e[0] === 'data/a.csv') ?? [];
    entry[4] = 'f'.repeat(64); // [path, ino, size, mtimeMs, sha256, recordedMs]
    await writeFile(cacheFile, JSON.stringify(cache));
    expect(await dataStatus(ctx)).toMatchObject([
      { status: 'modified', workspaceSha256: 'f'.repeat(64) },
    ]);
    expect(reads).toEqual(['data/a.csv']);
    // A changed file is hashed again.
    await writeFile(join(root, 'data/a.csv'), 'x,y\n1,3\n');
    expect(await dataStatus(ctx)).toMatchObject([{ status: 'modified' }]);
    expect(reads).toEqual(['data/a.csv', 'data/a.csv']);
  });

  it('refuses paths outside the workspace, naming them, and writes nothing', async () => {
    await writeFile(join(base, 'outside.csv'), '1\n');
    const up = await expectCode(addData(ctx, ['../outside.csv']), 'INVALID_PARAMETER_VALUE');
    expect(up.message).toContain("'../outside.csv' is outside the workspace");
    await expectCode(addData(ctx, [join(base, 'outside.csv')]), 'INVALID_PARAMETER_VALUE');
    await expectCode(addData(ctx, ['.mlops/stat-cache.json']), 'INVALID_PARAMETER_VALUE');
    await expect(stat(join(root, '.gitignore'))).rejects.toThrow();
  });

  it('refuses a symlink, or a symlinked directory, that points out of the workspace', async () => {
    await writeFile(join(base, 'outside.csv'), '1\n');
    await symlink(join(base, 'outside.csv'), join(root, 'data/link.csv'));
    await symlink(base, join(root, 'escape'));
    await writeFile(join(root, 'data/ok.csv'), '1\n');
    const link = await expectCode(
      addData(ctx, ['data/ok.csv', 'data/link.csv']),
      'INVALID_PARAMETER_VALUE',
    );
    expect(link.message).toContain("'data/link.csv' is a symlink");
    const dir = await expectCode(addData(ctx, ['escape/outside.csv']), 'INVALID_PARAMETER_VALUE');
    expect(dir.message).toContain("'escape/outside.csv' is a symlink (or lies under one)");
    // Checked before anything was written, even for the valid path.
    await expect(stat(join(root, 'data/ok.csv.mlops'))).rejects.toThrow();
  });

  it('versions a directory by its sorted listing and re-hashes only changed files', async () => {
    await mkdir(join(root, 'data/d/sub'), { recursive: true });
    await writeOld('data/d/a.txt', 'a');
    await writeFile(join(root, 'data/d/sub/b.txt'), 'bb');
    const [first] = await addData(ctx, ['data/d']);
    expect(first).toMatchObject({ path: 'data/d', size: 3, files: 2, changed: true });
    reads.length = 0;
    await writeFile(join(root, 'data/d/sub/b.txt'), 'bbb');
    const [second] = await addData(ctx, ['data/d/']);
    expect(second).toMatchObject({ size: 4, files: 2, changed: true });
    expect(reads).toEqual(['data/d/sub/b.txt']);
    expect(await dataStatus(ctx, ['data/d'])).toMatchObject([{ status: 'ok', files: 2 }]);
  });
});
