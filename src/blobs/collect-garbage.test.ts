import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from './blob-hash.js';
import { collectGarbage } from './collect-garbage.js';
import { FixedSizeChunker } from './fixed-size-chunker.js';
import { GcRootRegistry } from './gc-root-registry.js';
import { LocalBlobStore } from './local-blob-store.js';
import { readStoredFile } from './read-stored-file.js';
import { storeBytes } from './store-file.js';

const chunker = new FixedSizeChunker(4);

describe('collectGarbage', () => {
  let dir: string;
  let blobs: LocalBlobStore;
  const all = async () => {
    const out: string[] = [];
    for await (const h of blobs.list()) out.push(h);
    return out.sort();
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-gc-'));
    blobs = new LocalBlobStore(join(dir, 'blobs'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function scenario() {
    const kept = await storeBytes(blobs, Buffer.from('keepkeepkeep'), { chunker }); // 1 chunk x3 + manifest
    const raw = await blobs.put(Buffer.from('a raw root'));
    const dropped = await storeBytes(blobs, Buffer.from('dropdrop1234'), { chunker }); // 2 chunks + manifest
    const registry = new GcRootRegistry();
    registry.register('artifacts', async function* () {
      yield kept.manifestId;
      yield kept.manifestId;
    });
    registry.register('models', () => [raw]);
    return { kept, raw, dropped, registry };
  }

  it('keeps roots and their chunks and deletes everything else', async () => {
    const { kept, raw, dropped, registry } = await scenario();
    const report = await collectGarbage(blobs, registry);
    expect(report).toMatchObject({
      dryRun: false,
      kept: 3,
      deleted: 3,
      roots: { artifacts: 1, models: 1 },
      missing: [],
      unreadable: [],
    });
    expect(report.bytesFreed).toBeGreaterThan(8);
    expect(await all()).toEqual([kept.manifestId, raw, sha256Hex(Buffer.from('keep'))].sort());
    expect((await readStoredFile(blobs, kept.manifestId)).toString()).toBe('keepkeepkeep');
    expect(await blobs.has(dropped.manifestId)).toBe(false);
  });

  it('deletes nothing on a dry run but reports the same counts', async () => {
    const { registry } = await scenario();
    const before = await all();
    const dry = await collectGarbage(blobs, registry, { dryRun: true });
    expect(await all()).toEqual(before);
    const real = await collectGarbage(blobs, registry);
    expect({ ...dry, dryRun: false }).toEqual(real);
  });

  it('reports missing roots and chunks without failing', async () => {
    const { kept, registry } = await scenario();
    const ghost = sha256Hex(Buffer.from('never stored'));
    registry.register('ghosts', () => Promise.resolve([ghost]));
    const partial = await storeBytes(blobs, Buffer.from('partpart'), {
      chunker: new FixedSizeChunker(4),
    });
    await blobs.delete(sha256Hex(Buffer.from('part')));
    registry.register('partial', () => [partial.manifestId]);
    const report = await collectGarbage(blobs, registry);
    expect(report.missing).toEqual([
      { provider: 'ghosts', hash: ghost },
      { provider: 'partial', hash: sha256Hex(Buffer.from('part')), manifestId: partial.manifestId },
    ]);
    expect(await blobs.has(kept.manifestId)).toBe(true);
    expect(await blobs.has(partial.manifestId)).toBe(true);
  });

  it('deletes nothing when a provider fails or yields a malformed hash', async () => {
    const { registry } = await scenario();
    const before = await all();
    registry.register('broken', async function* () {
      yield 'not-a-hash';
    });
    await expect(collectGarbage(blobs, registry)).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringContaining("'broken'"),
    });
    const failing = new GcRootRegistry();
    failing.register('db', async function* () {
      yield* [];
      throw new Error('database is down');
    });
    await expect(collectGarbage(blobs, failing)).rejects.toThrow(/'db' failed.*database is down/);
    expect(await all()).toEqual(before);
  });

  it('refuses duplicate provider names', () => {
    const registry = new GcRootRegistry();
    registry.register('runs', () => []);
    expect(() => registry.register('runs', () => [])).toThrow(/registered already/);
  });
});
