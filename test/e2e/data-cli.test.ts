import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../src/blobs/index.js';
import { mlops, tempWorkspace } from './cli-harness.js';
import { blobsOfFile, flipByte, git, readPointerIds } from './data-harness.js';

const V1 = 'Date,Close\n2023-01-03,89.7\n2023-01-04,88.7\n';
const V2 = V1 + '2023-01-05,86.8\n';

describe('mlops data (built CLI)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterAll(() => cleanup());

  const csv = () => join(dir, 'data', 'prices.csv');
  const json = async (...args: string[]) => {
    const out = await mlops(dir, ...args, '--json');
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as Record<string, unknown>[];
  };
  /** The blob file of the first chunk of the file the pointer names. */
  const firstChunkFile = async () => {
    const { manifest } = await readPointerIds(`${csv()}.mlops`);
    const store = new LocalBlobStore(join(dir, '.mlops', 'blobs'));
    const [, chunk = ''] = await blobsOfFile(store, manifest);
    return join(dir, '.mlops', 'blobs', chunk.slice(0, 2), chunk.slice(2));
  };

  it('adds a CSV, reports ok, then modified, and checkout restores it byte for byte', async () => {
    execFileSync('mkdir', ['-p', join(dir, 'data')]);
    await writeFile(csv(), V1);
    const add = await mlops(dir, 'data', 'add', 'data/prices.csv');
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/data\/prices\.csv\s+[0-9a-f]{12}\s+\d+\s+yes/);
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('/data/prices.csv\n');
    expect(await json('data', 'status')).toMatchObject([
      { path: 'data/prices.csv', status: 'ok', cached: true },
    ]);
    expect((await json('data', 'add', 'data/prices.csv'))[0]).toMatchObject({ changed: false });

    await writeFile(csv(), V1.replace('89.7', '99.9'));
    const status = await mlops(dir, 'data', 'status');
    expect(status.stdout).toMatch(/data\/prices\.csv\s+modified/);

    expect(await json('data', 'checkout')).toMatchObject([{ action: 'restored' }]);
    expect(await readFile(csv(), 'utf8')).toBe(V1);
    expect(await json('data', 'status')).toMatchObject([{ status: 'ok' }]);
  });

  it('refuses a flipped byte in a stored chunk with BLOB_CORRUPT, leaving the file untouched', async () => {
    const chunkFile = await firstChunkFile();
    const original = await flipByte(chunkFile, 5);
    await writeFile(csv(), 'edited\n');
    const out = await mlops(dir, 'data', 'checkout', 'data/prices.csv');
    expect(out.code).toBe(6);
    expect(out.stderr).toContain('BLOB_CORRUPT');
    expect(out.stderr).toContain('data/prices.csv');
    expect(await readFile(csv(), 'utf8')).toBe('edited\n');
    await writeFile(chunkFile, original);
    expect((await json('data', 'checkout'))[0]).toMatchObject({ action: 'restored' });
    expect(await readFile(csv(), 'utf8')).toBe(V1);
  });

  it('restores the version an older git revision names', async () => {
    const noRepo = await mlops(dir, 'data', 'checkout', '--rev', 'HEAD');
    expect(noRepo.code).toBe(5);
    expect(noRepo.stderr).toContain('not in a git repository');

    git(dir, 'init', '-q');
    git(dir, 'add', '.gitignore', 'data/prices.csv.mlops');
    git(dir, 'commit', '-q', '-m', 'data v1');
    await writeFile(csv(), V2);
    expect((await json('data', 'add', 'data/prices.csv'))[0]).toMatchObject({ changed: true });
    git(dir, 'add', 'data/prices.csv.mlops');
    git(dir, 'commit', '-q', '-m', 'data v2');
    expect(git(dir, 'status', '--porcelain')).toBe('');

    const back = await json('data', 'checkout', 'data/prices.csv', '--rev', 'HEAD~1');
    expect(back).toMatchObject([{ path: 'data/prices.csv', action: 'restored' }]);
    expect(await readFile(csv(), 'utf8')).toBe(V1);
    // The working-tree pointer still names v2, so the data now differs from it.
    expect(await json('data', 'status')).toMatchObject([{ status: 'modified' }]);
    expect((await json('data', 'checkout'))[0]).toMatchObject({ action: 'restored' });
    expect(await readFile(csv(), 'utf8')).toBe(V2);

    const absent = await mlops(dir, 'data', 'checkout', 'data/other.csv', '--rev', 'HEAD');
    expect(absent.code).toBe(3);
    expect(absent.stderr).toContain('data/other.csv.mlops at HEAD is not in that revision');
  });

  it('names the line of a hand-broken pointer, and refuses paths outside the workspace', async () => {
    const pointerFile = `${csv()}.mlops`;
    const good = await readFile(pointerFile, 'utf8');
    await writeFile(pointerFile, good.replace(/size: \d+/, 'size: -3'));
    const bad = await mlops(dir, 'data', 'status');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid pointer file data/prices.csv.mlops, line 4');
    expect(bad.stderr).toContain("field 'size'");
    await writeFile(pointerFile, good);

    const outside = await mlops(dir, 'data', 'add', '../elsewhere.csv');
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("'../elsewhere.csv' is outside the workspace");
  });

  it('shows examples in help', async () => {
    const help = await mlops(dir, 'data', 'checkout', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--rev <rev>');
    expect(help.stdout).toContain('mlops data checkout data/prices.csv --rev HEAD~1');
  });
});
