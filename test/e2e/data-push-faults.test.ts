// kill -9 during `mlops data push` to S3 at random (seeded) points, at least 20 times: afterwards
// no object on the remote is corrupt (each is re-hashed), `data status --remote` tells the truth
// (in-remote only when the manifest and every chunk are there), a push run again completes, and a
// pull into an empty cache gives back the bytes. Then a server that kept truncated uploads gets
// them replaced by the next push.
//
// The remote is s3rver, which src/testing/s3-server.ts makes keep only complete uploads, as S3
// does. (A directory remote runs the same push code; its writes are covered under kill -9 by
// data-faults.test.ts, and it cost this test twice the time.)
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalBlobStore, S3BlobStore, verifyBlobs } from '../../src/blobs/index.js';
import type { S3TestServer } from '../../src/testing/index.js';
import { CLI, runNode } from './cli-harness.js';
import {
  blobsOfFile,
  mlopsKilledAfter,
  mulberry32,
  noise,
  readPointerIds,
  s3Workspace,
  sha256File,
} from './data-harness.js';

/** Each chunk (64 KiB on average) is a request, so this takes a push a while. */
const FILE_BYTES = 12 * 1024 * 1024;
const KILLS = 20;

describe('kill -9 during mlops data push to S3', () => {
  let s3: S3TestServer;
  let remote: S3BlobStore;
  let admin: S3Client;
  let dir: string;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ s3, dir, env, cleanup } = await s3Workspace());
    // This process's store reads its credentials from the environment, like the CLI.
    for (const [name, value] of Object.entries(s3.env)) vi.stubEnv(name, value);
    remote = new S3BlobStore(`s3://${s3.bucket}/faults`, { endpoint: s3.endpoint });
    admin = new S3Client(s3.clientConfig);
  });
  afterAll(async () => {
    admin?.destroy();
    await remote?.close();
    await cleanup?.();
    vi.unstubAllEnvs();
  });

  const file = () => join(dir, 'data', 'big.bin');
  const cache = () => new LocalBlobStore(join(dir, '.mlops', 'blobs'));
  const ok = async (...args: string[]) => {
    const out = await runNode([CLI, ...args], dir, env);
    expect(out.code, out.stderr).toBe(0);
    return out.stdout;
  };
  const remoteState = async () => {
    const [entry, ...rest] = JSON.parse(await ok('data', 'status', '--remote', '--json')) as {
      remote: string;
    }[];
    expect(rest).toEqual([]);
    return entry?.remote;
  };

  /** Objects on the remote already re-hashed: names are content hashes, so they never change. */
  const rehashed = new Set<string>();
  /** The remote's objects, each new one re-hashed (`get` fails with BLOB_CORRUPT on a mismatch). */
  async function remoteObjects(): Promise<Set<string>> {
    const listed = new Set<string>();
    for await (const hash of remote.list()) listed.add(hash);
    const fresh = [...listed].filter((hash) => !rehashed.has(hash));
    await Promise.all(fresh.map((hash) => remote.get(hash)));
    for (const hash of fresh) rehashed.add(hash);
    return listed;
  }

  it('leaves no corrupt object and a truthful status after 20 kills; push then completes', async () => {
    await writeFile(file(), noise('big', FILE_BYTES));
    const expected = await sha256File(file());
    await ok('data', 'add', 'data/big.bin');
    const { manifest } = await readPointerIds(`${file()}.mlops`);
    const blobs = [...new Set(await blobsOfFile(cache(), manifest))];
    const chunks = blobs.filter((h) => h !== manifest);
    await ok(
      'data',
      'remote',
      'add',
      'origin',
      remote.location,
      '--endpoint',
      s3.endpoint,
      '--region',
      s3.region,
      '--default',
    );
    // A whole push and one with nothing to send (Node's start, planning), timed: each kill lands
    // between half the second and the time a push of what is missing should take, so mostly
    // while blobs are going up.
    const timed = async () => {
      const t0 = performance.now();
      await ok('data', 'push');
      return performance.now() - t0;
    };
    const pushMs = await timed();
    const idleMs = await timed();

    const rand = mulberry32(20240612);
    let kills = 0;
    const outcomes = new Set<string>();
    let present = await remoteObjects();
    const lacking = () => blobs.filter((h) => !present.has(h)).length;
    for (let round = 0; kills < KILLS && round < 3 * KILLS; round++) {
      if (present.has(manifest) || lacking() < blobs.length / 3) {
        // Take away the manifest and most chunks (what a push killed early leaves), so that the
        // next push has work to do.
        const doomed = [manifest, ...chunks.filter(() => rand() < 0.7)];
        await Promise.all(doomed.map((hash) => remote.delete(hash)));
        for (const hash of doomed) rehashed.delete(hash);
        present = await remoteObjects();
      }
      const before = lacking();
      const pushBeforeMs = idleMs + ((pushMs - idleMs) * before) / blobs.length;
      const { killed, code } = await mlopsKilledAfter(
        dir,
        ['data', 'push'],
        idleMs / 2 + rand() * (pushBeforeMs - idleMs / 2),
        env,
      );
      if (killed) kills++;
      else expect(code).toBe(0);
      // The server may still be storing an upload whose whole body it got before the kill.
      await s3.settle();

      present = await remoteObjects();
      const state = await remoteState();
      if (state === 'in-remote') {
        // The manifest goes up last, so every chunk must be there.
        expect(lacking()).toBe(0);
        outcomes.add('complete');
      } else {
        expect(state).toBe('not-in-remote');
        expect(present.has(manifest)).toBe(false);
        outcomes.add(lacking() < before ? 'partial' : 'nothing sent');
      }
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    // Some kills fell in the middle of an upload, not only before or after it.
    expect([...outcomes]).toContain('partial');

    // A push run again completes, sending only what is missing.
    const missing = lacking();
    const again = JSON.parse(await ok('data', 'push', '--json')) as { blobs: number };
    expect(again.blobs).toBe(missing);
    expect(await remoteState()).toBe('in-remote');
    expect((await verifyBlobs(remote)).corrupt).toEqual([]);

    // A server that kept truncated uploads (S3 never does): the next push replaces them, the
    // manifest's size telling it to look at the chunks again.
    const chunk = chunks[0] as string;
    for (const hash of [manifest, chunk]) {
      const bytes = await cache().get(hash);
      const Body = bytes.subarray(0, bytes.byteLength >> 1);
      await admin.send(new PutObjectCommand({ Bucket: s3.bucket, Key: remote.keyOf(hash), Body }));
    }
    expect(new Set((await verifyBlobs(remote)).corrupt)).toEqual(new Set([manifest, chunk]));
    const repaired = JSON.parse(await ok('data', 'push', '--json')) as { blobs: number };
    expect(repaired.blobs).toBe(2);
    expect((await verifyBlobs(remote)).corrupt).toEqual([]);

    await rm(join(dir, '.mlops', 'blobs'), { recursive: true, force: true });
    await rm(file());
    const pulled = JSON.parse(await ok('data', 'pull', '--json')) as {
      checkout: { action: string }[];
    };
    expect(pulled.checkout).toMatchObject([{ action: 'restored' }]);
    expect(await sha256File(file())).toBe(expected);
  }, 180_000);
});
