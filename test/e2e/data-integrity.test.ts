// A versioned directory: gc keeps every blob a pointer names (listing, file manifests, chunks),
// and a version only another branch names only when asked (--rev, --all-commits); a flipped byte
// in one file's chunk is found by verify and refused by checkout. (Files, run artifacts and
// --rev for a file: data-history.test.ts; a flipped chunk of a file: data-cli.test.ts.)
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../src/blobs/index.js';
import { mlops, tempWorkspace } from './cli-harness.js';
import { flipByte, git, noise, sha256 } from './data-harness.js';

/** Smaller than the chunker's minimum, so stored as one chunk named by its own hash. */
const SMALL = noise('small', 10_000);
const V1 = { 'a.bin': SMALL, 'b.bin': noise('b1', 600_000), 'c.txt': Buffer.from('labels\n') };
const SIDE_B = Buffer.concat([noise('b2', 100_000), V1['b.bin'].subarray(100_000)]);

describe('mlops data gc | verify | checkout on a versioned directory (built CLI)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let onMain: Set<string>;
  let sideOnly: string[];
  beforeAll(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterAll(() => cleanup());

  const images = (name = '') => join(dir, 'data', 'images', name);
  const blobFile = (h: string) => join(dir, '.mlops', 'blobs', h.slice(0, 2), h.slice(2));
  const exists = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    );
  const cached = async () => {
    const out = new Set<string>();
    for await (const hash of new LocalBlobStore(join(dir, '.mlops', 'blobs')).list()) {
      out.add(hash);
    }
    return out;
  };
  const ok = async (...args: string[]) => {
    const out = await mlops(dir, ...args);
    expect(out.code, out.stderr).toBe(0);
    return out.stdout;
  };
  const json = async <T>(...args: string[]) => JSON.parse(await ok(...args, '--json')) as T;
  const expectV1 = async () => {
    for (const [name, bytes] of Object.entries(V1)) {
      expect(sha256(await readFile(images(name))), name).toBe(sha256(bytes));
    }
  };

  it('gc keeps what the pointers name; a version on another branch only with --rev or --all-commits', async () => {
    await mkdir(images(), { recursive: true });
    for (const [name, bytes] of Object.entries(V1)) await writeFile(images(name), bytes);
    await ok('data', 'add', 'data/images');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '.gitignore', 'data/images.mlops');
    git(dir, 'commit', '-q', '-m', 'images v1');
    onMain = await cached();

    git(dir, 'checkout', '-q', '-b', 'side');
    await writeFile(images('b.bin'), SIDE_B);
    await ok('data', 'add', 'data/images');
    git(dir, 'commit', '-q', '-am', 'images on a side branch');
    sideOnly = [...(await cached())].filter((h) => !onMain.has(h));
    // The new listing, b.bin's new manifest, and its first chunks at least.
    expect(sideOnly.length).toBeGreaterThanOrEqual(3);
    git(dir, 'checkout', '-q', 'main');
    await ok('data', 'checkout');
    await expectV1();

    const dry = await json<{ dryRun: boolean; deleted: number }>('data', 'gc', '--dry-run');
    expect(dry).toMatchObject({ dryRun: true, deleted: sideOnly.length });
    expect(await json('data', 'gc', '--all-commits')).toMatchObject({ deleted: 0 });
    expect(await json('data', 'gc', '--rev', 'side')).toMatchObject({ deleted: 0 });
    for (const h of sideOnly) expect(await exists(blobFile(h))).toBe(true);

    expect(await json('data', 'gc')).toMatchObject({ deleted: sideOnly.length });
    for (const h of sideOnly) expect(await exists(blobFile(h))).toBe(false);
    expect(await cached()).toEqual(onMain);

    // What the working-tree pointer names is whole: a deleted directory comes back.
    await rm(images(), { recursive: true });
    expect(await json('data', 'checkout', 'data/images')).toMatchObject([
      { path: 'data/images', action: 'restored' },
    ]);
    await expectV1();
    const gone = await mlops(dir, 'data', 'checkout', 'data/images', '--rev', 'side');
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain('BLOB_NOT_FOUND');
  });

  it('a flipped byte in one file: verify names the file, checkout refuses to write it', async () => {
    const chunk = sha256(SMALL);
    expect(onMain.has(chunk)).toBe(true);
    const original = await flipByte(blobFile(chunk), 5);

    const verify = await mlops(dir, 'data', 'verify');
    expect(verify.code).toBe(6);
    expect(verify.stderr).toContain('BLOB_CORRUPT');
    expect(verify.stdout).toMatch(/data\/images\/a\.bin\s+chunk\s+corrupt/);
    const report = await mlops(dir, 'data', 'verify', '--json');
    expect(JSON.parse(report.stdout)).toMatchObject({ ok: false, corrupt: [chunk] });

    await rm(images('a.bin'));
    const checkout = await mlops(dir, 'data', 'checkout', 'data/images');
    expect(checkout.code).toBe(6);
    expect(checkout.stderr).toContain('BLOB_CORRUPT');
    expect(checkout.stderr).toContain('data/images');
    expect(checkout.stderr).toContain(blobFile(chunk)); // the file to delete
    expect(await exists(images('a.bin'))).toBe(false); // never written with the wrong bytes

    await writeFile(blobFile(chunk), original);
    await ok('data', 'checkout', 'data/images');
    await expectV1();
    expect(await json('data', 'verify')).toMatchObject({ ok: true, corrupt: [] });
  });
});
