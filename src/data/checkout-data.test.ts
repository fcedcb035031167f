import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore, readManifest } from '../blobs/index.js';
import { expectCode } from '../testing/index.js';
import { addData } from './add-data.js';
import { checkoutData } from './checkout-data.js';
import type { DataContext } from './data-context.js';
import { dataStatus } from './data-status.js';
import { dataPointerRoots } from './pointer-roots.js';
import { readPointerFile } from './pointer.js';

describe('checkoutData and gc roots', () => {
  let root: string;
  let blobs: LocalBlobStore;
  let ctx: DataContext;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mlops-data-checkout-'));
    blobs = new LocalBlobStore(join(root, '.mlops', 'blobs'));
    ctx = { root, stateDir: join(root, '.mlops'), blobs };
    await mkdir(join(root, 'data/d'), { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('restores modified and deleted files and directories byte for byte', async () => {
    await writeFile(join(root, 'data/a.csv'), 'one\n');
    await writeFile(join(root, 'data/d/x.bin'), Buffer.from([0, 1, 2]));
    await addData(ctx, ['data/a.csv', 'data/d']);
    await writeFile(join(root, 'data/a.csv'), 'two\n');
    await rm(join(root, 'data/d/x.bin'));
    expect((await dataStatus(ctx)).map((s) => s.status)).toEqual(['modified', 'modified']);
    const out = await checkoutData(ctx);
    expect(out.map((e) => e.action)).toEqual(['restored', 'restored']);
    expect(await readFile(join(root, 'data/a.csv'), 'utf8')).toBe('one\n');
    expect([...(await readFile(join(root, 'data/d/x.bin')))]).toEqual([0, 1, 2]);
    expect((await checkoutData(ctx)).map((e) => e.action)).toEqual(['unchanged', 'unchanged']);
    await rm(join(root, 'data/a.csv'));
    expect(await dataStatus(ctx, ['data/a.csv.mlops'])).toMatchObject([
      { status: 'missing-workspace' },
    ]);
  });

  it('fails with BLOB_CORRUPT on a flipped chunk byte and leaves the workspace file alone', async () => {
    await writeFile(join(root, 'data/a.csv'), 'original\n');
    await addData(ctx, ['data/a.csv']);
    const pointer = await readPointerFile(join(root, 'data/a.csv.mlops'), 'p');
    const chunk = (await readManifest(blobs, pointer.manifest)).chunks[0]?.hash ?? '';
    const chunkFile = blobs.pathOf(chunk);
    const bytes = await readFile(chunkFile);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    await writeFile(chunkFile, bytes);
    await writeFile(join(root, 'data/a.csv'), 'edited\n');
    const err = await expectCode(checkoutData(ctx, ['data/a.csv']), 'BLOB_CORRUPT');
    expect(err.message).toContain('Cannot check out data/a.csv');
    expect(await readFile(join(root, 'data/a.csv'), 'utf8')).toBe('edited\n');
  });

  it('reports missing-cache when a chunk is gone', async () => {
    await writeFile(join(root, 'data/a.csv'), 'original\n');
    await addData(ctx, ['data/a.csv']);
    const pointer = await readPointerFile(join(root, 'data/a.csv.mlops'), 'p');
    const chunk = (await readManifest(blobs, pointer.manifest)).chunks[0]?.hash ?? '';
    await blobs.delete(chunk);
    expect(await dataStatus(ctx)).toMatchObject([{ status: 'missing-cache', cached: false }]);
  });

  it('yields every pointer manifest and the listed files of directories as gc roots', async () => {
    await writeFile(join(root, 'data/a.csv'), 'a\n');
    await writeFile(join(root, 'data/d/x.bin'), 'x');
    await writeFile(join(root, 'data/d/y.bin'), 'y');
    await addData(ctx, ['data/a.csv', 'data/d']);
    const roots: string[] = [];
    for await (const r of dataPointerRoots(root, blobs)) roots.push(r);
    const a = await readPointerFile(join(root, 'data/a.csv.mlops'), 'p');
    const d = await readPointerFile(join(root, 'data/d.mlops'), 'p');
    expect(roots).toHaveLength(4);
    expect(roots).toContain(a.manifest);
    expect(roots).toContain(d.manifest);
  });
});
