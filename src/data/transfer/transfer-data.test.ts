import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LocalBlobStore,
  looksLikeManifest,
  readManifest,
  type BlobStore,
} from '../../blobs/index.js';
import { MlopsError } from '../../core/index.js';
import { expectCode } from '../../testing/index.js';
import { addData } from '../add-data.js';
import type { DataContext } from '../data-context.js';
import { dataStatus } from '../data-status.js';
import { readListing } from '../directory-listing.js';
import { readPointerFile } from '../pointer.js';
import { openRemote, type RemoteStore } from '../remotes/open-remote.js';
import { fetchData, pullData, pushData, type TransferProgress } from './transfer-data.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic pseudo-random bytes (several content-defined chunks). */
function bytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A store that records puts and can fail after a number of them (a killed push). */
class RecordingStore implements BlobStore {
  readonly puts: string[] = [];
  failAfter = Infinity;
  constructor(readonly inner: LocalBlobStore) {}
  resetAttempts() {
    this.attempts = 0;
  }
  get location() {
    return this.inner.location;
  }
  private attempts = 0;
  async put(data: Uint8Array) {
    if (this.attempts++ >= this.failAfter) {
      throw new MlopsError('IO_ERROR', 'Cannot reach the remote (simulated).');
    }
    const hash = await this.inner.put(data);
    this.puts.push(hash);
    return hash;
  }
  get(hash: string) {
    return this.inner.get(hash);
  }
  has(hash: string) {
    return this.inner.has(hash);
  }
  size(hash: string) {
    return this.inner.size(hash);
  }
  delete(hash: string) {
    return this.inner.delete(hash);
  }
  list() {
    return this.inner.list();
  }
  flush() {
    return this.inner.flush();
  }
}

function remoteOver(store: BlobStore, name = 'test'): RemoteStore {
  return {
    name,
    location: store.location,
    blobs: store,
    async hasMany(hashes) {
      const out = new Set<string>();
      for (const h of hashes) if (await store.has(h)) out.add(h);
      return out;
    },
    putMissing: (data) => store.put(data),
    close: async () => {},
  };
}

describe('push, fetch and pull with a directory remote', () => {
  let base: string;
  let root: string;
  let ctx: DataContext;
  let remoteDir: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'mlops-transfer-'));
    root = join(base, 'ws');
    remoteDir = join(base, 'remote');
    await mkdir(join(root, 'data', 'dir', 'sub'), { recursive: true });
    ctx = { root, stateDir: join(root, '.mlops'), blobs: freshCache() };
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  function freshCache(): LocalBlobStore {
    return new LocalBlobStore(join(root, '.mlops', 'blobs'));
  }
  const open = (mode: 'read' | 'write') =>
    openRemote(
      { name: 'backup', url: remoteDir, isDefault: true, definedIn: 'project' },
      { root, cacheLocation: ctx.blobs.location, mode },
    );
  async function seed() {
    await writeFile(join(root, 'data/big.bin'), bytes(700_000, 1));
    await writeFile(join(root, 'data/dir/a.txt'), 'alpha\n');
    await writeFile(join(root, 'data/dir/sub/b.bin'), bytes(150_000, 2));
    await addData(ctx, ['data/big.bin', 'data/dir']);
  }
  async function blobsIn(store: BlobStore): Promise<Set<string>> {
    const out = new Set<string>();
    for await (const h of store.list()) out.add(h);
    return out;
  }

  it('pushes only what is missing, in order, and pulls it back byte for byte', async () => {
    await seed();
    const original = await readFile(join(root, 'data/big.bin'));
    const recording = new RecordingStore(new LocalBlobStore(remoteDir));
    const progress: TransferProgress[] = [];
    const first = await pushData(ctx, remoteOver(recording), [], {
      onProgress: (p) => progress.push(p),
    });
    const cached = await blobsIn(ctx.blobs);
    expect(first.blobs).toBe(cached.size);
    expect(first.skipped).toBe(0);
    expect(first.paths.map((p) => p.action)).toEqual(['transferred', 'transferred']);
    expect(await blobsIn(recording.inner)).toEqual(cached);
    expect(progress.at(-1)).toMatchObject({
      direction: 'push',
      phase: 'transfer',
      done: first.blobs,
      total: first.blobs,
      bytes: first.bytes,
    });

    // Chunks first, then file manifests, the directory listing last.
    const big = await readPointerFile(join(root, 'data/big.bin.mlops'), 'big');
    const dir = await readPointerFile(join(root, 'data/dir.mlops'), 'dir');
    const position = (h: string) => recording.puts.indexOf(h);
    const bigManifest = await readManifest(ctx.blobs, big.manifest);
    for (const c of bigManifest.chunks)
      expect(position(c.hash)).toBeLessThan(position(big.manifest));
    for (const e of await readListing(ctx.blobs, dir.manifest)) {
      expect(position(e.manifest)).toBeLessThan(position(dir.manifest));
    }
    expect(position(dir.manifest)).toBe(recording.puts.length - 1);

    // Nothing new: nothing sent.
    recording.puts.length = 0;
    const again = await pushData(ctx, remoteOver(recording));
    expect(again).toMatchObject({ blobs: 0, bytes: 0 });
    expect(again.paths.map((p) => p.action)).toEqual(['up-to-date', 'up-to-date']);
    expect(recording.puts).toEqual([]);

    // A small edit sends a few chunks and the new manifest, not the whole file.
    const edited = Buffer.from(original);
    edited[350_000] = (edited[350_000] ?? 0) ^ 0xff;
    await writeFile(join(root, 'data/big.bin'), edited);
    await addData(ctx, ['data/big.bin']);
    const third = await pushData(ctx, remoteOver(recording), ['data/big.bin']);
    expect(third.blobs).toBeGreaterThanOrEqual(2);
    expect(third.blobs).toBeLessThanOrEqual(4);
    expect(third.bytes).toBeLessThan(edited.byteLength / 2);

    // Lose the cache and the workspace copy; pull restores them.
    await rm(join(root, '.mlops', 'blobs'), { recursive: true });
    await rm(join(root, 'data/big.bin'));
    await rm(join(root, 'data/dir'), { recursive: true });
    ctx = { ...ctx, blobs: freshCache() };
    const pulled = await pullData(ctx, await open('read'));
    expect(pulled.blobs).toBeGreaterThan(0);
    expect(pulled.checkout.map((e) => e.action)).toEqual(['restored', 'restored']);
    expect(sha(await readFile(join(root, 'data/big.bin')))).toBe(sha(edited));
    expect(await readFile(join(root, 'data/dir/a.txt'), 'utf8')).toBe('alpha\n');
    expect(sha(await readFile(join(root, 'data/dir/sub/b.bin')))).toBe(sha(bytes(150_000, 2)));
    const status = await dataStatus(ctx, [], { remote: await open('read') });
    expect(status.map((s) => [s.status, s.remote])).toEqual([
      ['ok', 'in-remote'],
      ['ok', 'in-remote'],
    ]);

    // Fetching again moves nothing.
    expect(await fetchData(ctx, await open('read'))).toMatchObject({ blobs: 0, bytes: 0 });
  });

  it('resumes an interrupted push; the remote never holds a manifest without its chunks', async () => {
    await seed();
    const recording = new RecordingStore(new LocalBlobStore(remoteDir));
    recording.failAfter = 5;
    await expectCode(pushData(ctx, remoteOver(recording), [], { jobs: 2 }), 'IO_ERROR');
    expect(recording.puts).toHaveLength(5);
    const remoteBlobs = await blobsIn(recording.inner);
    for (const h of remoteBlobs) {
      const data = await recording.inner.get(h);
      if (!looksLikeManifest(data)) continue;
      const m = await readManifest(recording.inner, h);
      for (const c of m.chunks) expect(remoteBlobs.has(c.hash)).toBe(true);
    }
    expect(
      (await dataStatus(ctx, [], { remote: remoteOver(recording) })).map((s) => s.remote),
    ).toEqual(['not-in-remote', 'not-in-remote']);

    recording.failAfter = Infinity;
    recording.resetAttempts();
    const resumed = await pushData(ctx, remoteOver(recording));
    expect(resumed.skipped).toBeGreaterThanOrEqual(5);
    expect(await blobsIn(recording.inner)).toEqual(await blobsIn(ctx.blobs));
  });

  it('refuses to push data the cache lacks, sending nothing', async () => {
    await seed();
    const big = await readPointerFile(join(root, 'data/big.bin.mlops'), 'big');
    const chunk = (await readManifest(ctx.blobs, big.manifest)).chunks[1]?.hash ?? '';
    await ctx.blobs.delete(chunk);
    const recording = new RecordingStore(new LocalBlobStore(remoteDir));
    const gap = await expectCode(
      pushData(ctx, remoteOver(recording), ['data/big.bin']),
      'BLOB_NOT_FOUND',
    );
    expect(gap.message).toContain('Cannot push data/big.bin');
    expect(gap.message).toContain(chunk);
    expect(recording.puts).toEqual([]);

    await ctx.blobs.delete(big.manifest);
    const err = await expectCode(
      pushData(ctx, remoteOver(recording), ['data/big.bin']),
      'BLOB_NOT_FOUND',
    );
    expect(err.message).toContain('Cannot push data/big.bin');
  });

  it('fetch checks every blob against its hash and writes nothing from a remote that lacks data', async () => {
    await seed();
    await pushData(ctx, await open('write'));
    const remote = new LocalBlobStore(remoteDir);
    const big = await readPointerFile(join(root, 'data/big.bin.mlops'), 'big');
    const chunks = (await readManifest(ctx.blobs, big.manifest)).chunks;

    // A flipped byte on the remote: refused, and the manifest never enters the cache.
    await rm(join(root, '.mlops', 'blobs'), { recursive: true });
    ctx = { ...ctx, blobs: freshCache() };
    const victim = remote.pathOf(chunks[0]?.hash ?? '');
    const good = await readFile(victim);
    const bad = Buffer.from(good);
    bad[10] = (bad[10] ?? 0) ^ 1;
    await writeFile(victim, bad);
    await expectCode(fetchData(ctx, await open('read'), ['data/big.bin']), 'BLOB_CORRUPT');
    expect(await ctx.blobs.has(big.manifest)).toBe(false);
    expect(await ctx.blobs.has(chunks[0]?.hash ?? '')).toBe(false);
    await writeFile(victim, good);

    // A manifest missing on the remote: named, nothing written.
    await rm(join(root, '.mlops', 'blobs'), { recursive: true, force: true });
    await remote.delete(big.manifest);
    const err = await expectCode(
      fetchData(ctx, await open('read'), ['data/big.bin']),
      'BLOB_NOT_FOUND',
    );
    expect(err.message).toContain("Cannot fetch data/big.bin: remote 'backup'");
    expect(await blobsIn(ctx.blobs)).toEqual(new Set());
  });

  it('pull does not overwrite local edits unless forced', async () => {
    await seed();
    await pushData(ctx, await open('write'));
    await writeFile(join(root, 'data/dir/a.txt'), 'edited\n');
    const err = await expectCode(pullData(ctx, await open('read')), 'INVALID_STATE');
    expect(err.message).toContain('data/dir');
    expect(await readFile(join(root, 'data/dir/a.txt'), 'utf8')).toBe('edited\n');
    await pullData(ctx, await open('read'), [], { force: true });
    expect(await readFile(join(root, 'data/dir/a.txt'), 'utf8')).toBe('alpha\n');
  });

  it('a missing directory remote is an error for reading, created for writing', async () => {
    await seed();
    const err = await expectCode(open('read'), 'IO_ERROR');
    expect(err.message).toContain('does not exist');
    await expectCode(
      openRemote(
        { name: 'self', url: '.mlops/blobs', isDefault: false, definedIn: 'project' },
        { root, cacheLocation: ctx.blobs.location, mode: 'write' },
      ),
      'INVALID_PARAMETER_VALUE',
    );
    expect((await pushData(ctx, await open('write'))).blobs).toBeGreaterThan(0);
  });
});
