import { randomBytes } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedSizeChunker } from './fixed-size-chunker.js';
import { LocalBlobStore } from './local-blob-store.js';
import { materializeFile } from './materialize-file.js';
import { readManifest } from './read-manifest.js';
import { storeBytes } from './store-file.js';

describe('materializeFile', () => {
  let dir: string;
  let blobs: LocalBlobStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-materialize-'));
    blobs = new LocalBlobStore(join(dir, 'blobs'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a plain copy, creating parent directories', async () => {
    const bytes = randomBytes(100_000);
    const stored = await storeBytes(blobs, bytes, { chunker: new FixedSizeChunker(30_000) });
    const dest = join(dir, 'out', 'deep', 'model.bin');
    expect(await materializeFile(blobs, stored.manifestId, dest)).toEqual(stored);
    expect((await readFile(dest)).equals(bytes)).toBe(true);
    const info = await lstat(dest);
    expect(info.isFile() && !info.isSymbolicLink()).toBe(true);
    expect(info.nlink).toBe(1);
    expect(await readdir(join(dir, 'out', 'deep'))).toEqual(['model.bin']);
  });

  it('replaces a symlink at the destination instead of writing through it', async () => {
    const stored = await storeBytes(blobs, Buffer.from('new'));
    await writeFile(join(dir, 'target'), 'precious');
    await symlink(join(dir, 'target'), join(dir, 'link'));
    await materializeFile(blobs, stored.manifestId, join(dir, 'link'));
    expect(await readFile(join(dir, 'target'), 'utf8')).toBe('precious');
    expect(await readFile(join(dir, 'link'), 'utf8')).toBe('new');
    expect((await lstat(join(dir, 'link'))).isSymbolicLink()).toBe(false);
  });

  it('leaves the destination untouched when a chunk is corrupt', async () => {
    const stored = await storeBytes(blobs, Buffer.from('aaaabbbb'), {
      chunker: new FixedSizeChunker(4),
    });
    const chunk = (await readManifest(blobs, stored.manifestId)).chunks[1]!.hash;
    await writeFile(blobs.pathOf(chunk), 'XXXX');
    const dest = join(dir, 'out.txt');
    await writeFile(dest, 'old');
    await expect(materializeFile(blobs, stored.manifestId, dest)).rejects.toMatchObject({
      code: 'BLOB_CORRUPT',
    });
    expect(await readFile(dest, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['blobs', 'out.txt']);
  });

  it('creates nothing when the manifest is missing', async () => {
    const stored = await storeBytes(blobs, Buffer.from('gone'));
    await blobs.delete(stored.manifestId);
    await expect(
      materializeFile(blobs, stored.manifestId, join(dir, 'new', 'f')),
    ).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
    expect(await readdir(dir)).toEqual(['blobs']);
  });
});
