// kill -9 during `mlops data add` at random (seeded) points, at least 20 times in one workspace:
// afterwards `mlops data verify` finds no corrupt or missing blob, `data status` tells the truth (old pointer or new
// one, never one whose blobs are missing) and rerunning `data add` completes.
// (A flipped byte in a stored chunk refused by checkout is covered in data-cli.test.ts.)
import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore, readManifest, verifyBlobs } from '../../src/blobs/index.js';
import { mlops, tempWorkspace } from './cli-harness.js';
import { mlopsKilledAfter, mulberry32, noise, readPointerIds, sha256File } from './data-harness.js';

const FILE_BYTES = 32 * 1024 * 1024;
/** Each version rewrites this many bytes at a random offset (new chunks to store). */
const CHANGED_BYTES = 8 * 1024 * 1024;
const KILLS = 20;

interface StatusEntry {
  path: string;
  status: string;
  sha256: string;
  workspaceSha256?: string;
  cached: boolean;
}

describe('kill -9 during mlops data add', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterAll(() => cleanup());

  const file = () => join(dir, 'data', 'big.bin');
  const blobPath = (h: string) => join(dir, '.mlops', 'blobs', h.slice(0, 2), h.slice(2));

  /** The pointer's manifest id, and whether that manifest and all its chunks are stored. */
  async function pointerComplete(): Promise<{ sha256: string; complete: boolean }> {
    const { sha256, manifest: manifestId } = await readPointerIds(`${file()}.mlops`);
    const exists = (h: string) =>
      stat(blobPath(h)).then(
        (s) => s.isFile(),
        () => false,
      );
    if (!(await exists(manifestId))) return { sha256, complete: false };
    const manifest = await readManifest(
      new LocalBlobStore(join(dir, '.mlops', 'blobs')),
      manifestId,
    );
    expect(manifest.sha256).toBe(sha256);
    for (const c of manifest.chunks)
      if (!(await exists(c.hash))) return { sha256, complete: false };
    return { sha256, complete: true };
  }

  async function status(): Promise<StatusEntry> {
    const out = await mlops(dir, 'data', 'status', '--json');
    expect(out.code, out.stderr).toBe(0);
    const entries = JSON.parse(out.stdout) as StatusEntry[];
    expect(entries).toHaveLength(1);
    return entries[0] as StatusEntry;
  }

  /** Runs `mlops data add data/big.bin`, SIGKILLed after `delayMs` if still running. */
  async function addKilledAfter(delayMs: number): Promise<{ killed: boolean }> {
    const { killed, code } = await mlopsKilledAfter(dir, ['data', 'add', 'data/big.bin'], delayMs);
    if (!killed) expect(code).toBe(0);
    return { killed };
  }

  it('leaves a consistent store and a truthful status after 20 kills, and add then completes', async () => {
    await mkdir(join(dir, 'data'), { recursive: true });
    const handle = await open(file(), 'w');
    await handle.write(noise('v0', FILE_BYTES), 0, FILE_BYTES, 0);
    const t0 = performance.now();
    const first = await mlops(dir, 'data', 'add', 'data/big.bin');
    const addMs = performance.now() - t0;
    expect(first.code, first.stderr).toBe(0);

    /** `mlops data verify`: every blob re-hashed, every pointer's blobs present. */
    async function verify(): Promise<void> {
      const out = await mlops(dir, 'data', 'verify', '--json');
      expect(out.code, out.stderr).toBe(0);
      expect(JSON.parse(out.stdout)).toMatchObject({ ok: true, corrupt: [], problems: [] });
    }

    const rand = mulberry32(20240611);
    let kills = 0;
    const outcomes = new Set<string>();
    for (let version = 1; kills < KILLS && version <= 2 * KILLS; version++) {
      const before = await pointerComplete();
      expect(before.complete).toBe(true);
      const at = Math.floor(rand() * (FILE_BYTES - CHANGED_BYTES));
      await handle.write(noise(`v${version}`, CHANGED_BYTES), 0, CHANGED_BYTES, at);
      await handle.sync();
      const expected = await sha256File(file());

      const { killed } = await addKilledAfter(rand() * addMs);
      if (killed) kills++;

      await verify();
      const after = await status();
      expect(after.workspaceSha256).toBe(expected);
      expect(['ok', 'modified']).toContain(after.status);
      const pointer = await pointerComplete();
      expect(after.sha256).toBe(pointer.sha256);
      if (after.status === 'ok') {
        expect(pointer).toEqual({ sha256: expected, complete: true });
      } else {
        // The kill came before the new pointer: the old one stands, with all of its blobs.
        expect(pointer).toEqual({ sha256: before.sha256, complete: true });
      }
      expect(after.cached).toBe(true);
      outcomes.add(after.status);

      const rerun = await mlops(dir, 'data', 'add', 'data/big.bin');
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await status()).toMatchObject({ status: 'ok', sha256: expected, cached: true });
      expect(await pointerComplete()).toEqual({ sha256: expected, complete: true });
    }
    await handle.close();
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect([...outcomes]).toContain('modified');
    const full = await verifyBlobs(new LocalBlobStore(join(dir, '.mlops', 'blobs')));
    expect(full.corrupt).toEqual([]);
  }, 240_000);
});
