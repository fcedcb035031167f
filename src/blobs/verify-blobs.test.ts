import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore } from './local-blob-store.js';
import { verifyBlobs } from './verify-blobs.js';

describe('verifyBlobs', () => {
  let dir: string;
  let blobs: LocalBlobStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-verify-'));
    blobs = new LocalBlobStore(join(dir, 'blobs'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('re-hashes every blob and reports the corrupt ones', async () => {
    const good = await blobs.put(Buffer.from('good'));
    const bad = await blobs.put(Buffer.from('bad!'));
    expect(await verifyBlobs(blobs)).toEqual({ checked: 2, bytes: 8, corrupt: [] });
    await writeFile(blobs.pathOf(bad), 'evil');
    const report = await verifyBlobs(blobs);
    expect(report.checked).toBe(2);
    expect(report.corrupt).toEqual([bad]);
    expect(await blobs.has(good)).toBe(true);
  });

  it('reports an empty store as clean', async () => {
    expect(await verifyBlobs(blobs)).toEqual({ checked: 0, bytes: 0, corrupt: [] });
  });
});
