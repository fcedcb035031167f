import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from './blob-hash.js';
import { FixedSizeChunker } from './fixed-size-chunker.js';
import { LocalBlobStore } from './local-blob-store.js';
import { readManifest } from './read-manifest.js';
import { readStoredFile } from './read-stored-file.js';
import { storeBytes, storeFile } from './store-file.js';

describe('storeFile / readStoredFile', () => {
  let dir: string;
  let blobs: LocalBlobStore;
  const countFiles = async () =>
    (await readdir(blobs.root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
      .length;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-store-file-'));
    blobs = new LocalBlobStore(join(dir, 'blobs'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stores a file as 1 MiB chunks plus a manifest and reads it back', async () => {
    const bytes = randomBytes(2.5 * 1024 * 1024);
    await writeFile(join(dir, 'data.bin'), bytes);
    const stored = await storeFile(blobs, join(dir, 'data.bin'), {
      chunker: new FixedSizeChunker(),
    });
    expect(stored.size).toBe(bytes.length);
    expect(stored.sha256).toBe(sha256Hex(bytes));
    const manifest = await readManifest(blobs, stored.manifestId);
    expect(manifest.chunks.map((c) => c.size)).toEqual([1048576, 1048576, 524288]);
    expect(await countFiles()).toBe(4);
    expect((await readStoredFile(blobs, stored.manifestId)).equals(bytes)).toBe(true);
  });

  it('storing the same file twice writes no new blobs', async () => {
    const path = join(dir, 'same.bin');
    await writeFile(path, randomBytes(300_000));
    const chunker = new FixedSizeChunker(64 * 1024);
    const first = await storeFile(blobs, path, { chunker });
    const files = await countFiles();
    const second = await storeFile(blobs, path, { chunker });
    expect(second).toEqual(first);
    expect(await countFiles()).toBe(files);
  });

  it('shares chunks between files with common parts', async () => {
    const chunker = new FixedSizeChunker(4);
    await storeBytes(blobs, Buffer.from('aaaabbbbcccc'), { chunker });
    const before = await countFiles();
    await storeBytes(blobs, Buffer.from('aaaabbbbdddd'), { chunker });
    expect(await countFiles()).toBe(before + 2); // one new chunk, one new manifest
  });

  it('stores an empty file as a manifest with no chunks', async () => {
    await writeFile(join(dir, 'empty'), '');
    const stored = await storeFile(blobs, join(dir, 'empty'));
    expect(stored.size).toBe(0);
    expect((await readManifest(blobs, stored.manifestId)).chunks).toEqual([]);
    expect((await readStoredFile(blobs, stored.manifestId)).length).toBe(0);
  });

  it('gives storeBytes and storeFile the same manifest for the same bytes', async () => {
    const bytes = Buffer.from('identical content');
    await writeFile(join(dir, 'f'), bytes);
    expect(await storeBytes(blobs, bytes)).toEqual(await storeFile(blobs, join(dir, 'f')));
  });

  it('hashes large files in a worker with the same result as in-process hashing', async () => {
    // 40 MiB is past the worker threshold (32 MiB) and spans several 4 MiB shared slots.
    const bytes = randomBytes(40 * 1024 * 1024 + 12345);
    await writeFile(join(dir, 'big'), bytes);
    const fromFile = await storeFile(blobs, join(dir, 'big'));
    expect(fromFile.sha256).toBe(sha256Hex(bytes));
    expect(fromFile).toEqual(await storeBytes(blobs, bytes));
    expect(Buffer.from(await readStoredFile(blobs, fromFile.manifestId)).equals(bytes)).toBe(true);
  });

  it('flushes once and leaves no temp files behind', async () => {
    await writeFile(join(dir, 'f'), randomBytes(300_000));
    await storeFile(blobs, join(dir, 'f'), { flush: false });
    await blobs.flush();
    await blobs.flush(); // nothing left to sync: a no-op
    const names = await readdir(blobs.root, { recursive: true });
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('reports a missing source file as RESOURCE_DOES_NOT_EXIST naming it', async () => {
    await expect(storeFile(blobs, join(dir, 'nope.csv'))).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: expect.stringContaining('nope.csv'),
    });
  });

  it('reports a missing manifest or chunk as BLOB_NOT_FOUND', async () => {
    const stored = await storeBytes(blobs, Buffer.from('abcdefgh'), {
      chunker: new FixedSizeChunker(4),
    });
    const manifest = await readManifest(blobs, stored.manifestId);
    await blobs.delete(manifest.chunks[1]!.hash);
    await expect(readStoredFile(blobs, stored.manifestId)).rejects.toMatchObject({
      code: 'BLOB_NOT_FOUND',
      message: expect.stringContaining(stored.manifestId),
    });
    await blobs.delete(stored.manifestId);
    await expect(readManifest(blobs, stored.manifestId)).rejects.toMatchObject({
      code: 'BLOB_NOT_FOUND',
      message: expect.stringContaining(`Manifest ${stored.manifestId}`),
    });
  });

  it('reports a blob that is not a manifest as BLOB_CORRUPT', async () => {
    const raw = await blobs.put(Buffer.from('just bytes'));
    await expect(readManifest(blobs, raw)).rejects.toMatchObject({ code: 'BLOB_CORRUPT' });
  });
});
