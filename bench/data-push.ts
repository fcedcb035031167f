// push_mb_per_s / pull_mb_per_s: pushData/pullData of one file to a local s3rver, against a plain
// AWS SDK multipart upload (lib-storage) and a streamed GetObject of the same file, same server.
// `stages_s` splits our time: plan (existence checks), move (the blobs) and, for pull, checkout.
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { LocalBlobStore } from '../src/blobs/index.js';
import {
  addData,
  openRemote,
  pullData,
  pushData,
  type DataContext,
  type TransferProgress,
} from '../src/data/index.js';
import { S3RVER_CREDENTIALS, startS3Server } from '../src/testing/index.js';
import { performance } from 'node:perf_hooks';
import { nodeSha256, seconds } from './data-measure.js';
import { report } from './report.js';

const MB = 1_000_000;

/**
 * Runs one transfer and times it, whole and by stage from its progress reports: `plan` until the
 * first blob moves, `move` until the last has, `after` the rest (a pull's checkout).
 */
async function timed(
  run: (options: { onProgress(p: TransferProgress): void }) => Promise<unknown>,
): Promise<{ s: number; stages: { plan: number; move: number; after: number } }> {
  const start = performance.now();
  let planned: number | undefined;
  let moved: number | undefined;
  await run({
    onProgress(p) {
      if (p.phase !== 'transfer') return;
      planned ??= performance.now();
      if (p.done === p.total) moved = performance.now();
    },
  });
  const end = performance.now();
  const span = (from: number, to: number) => Number(((to - from) / 1000).toFixed(2));
  return {
    s: (end - start) / 1000,
    stages: {
      plan: span(start, planned ?? end),
      move: span(planned ?? end, moved ?? end),
      after: span(moved ?? end, end),
    },
  };
}

/** Pushes and pulls `file` (inside `root`) and reports both figures. */
export async function pushPull(root: string, file: string, bytes: number): Promise<void> {
  const server = await startS3Server();
  Object.assign(process.env, server.env);
  const client = new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  });
  const ctx = (state: string): DataContext => ({
    root,
    stateDir: join(root, state),
    blobs: new LocalBlobStore(join(root, state, 'blobs')),
  });
  const remote = (c: DataContext, mode: 'read' | 'write') =>
    openRemote(
      {
        name: 'bench',
        url: `s3://${server.bucket}/store`,
        endpoint: server.endpoint,
        region: server.region,
        isDefault: true,
        definedIn: 'project',
      },
      { root, cacheLocation: c.blobs.location, mode },
    );
  const rel = file.slice(root.length + 1);
  try {
    const up = ctx('.mlops-push');
    await rm(`${file}.mlops`, { force: true });
    await addData(up, [rel]);
    const pushRemote = await remote(up, 'write');
    const pushed = await timed((options) => pushData(up, pushRemote, [rel], options));
    await pushRemote.close();
    const plainUpS = await seconds(() =>
      new Upload({
        client,
        params: { Bucket: server.bucket, Key: 'plain/big.bin', Body: createReadStream(file) },
        partSize: 8 * 1024 * 1024,
        queueSize: 4,
      }).done(),
    );
    const expected = (await nodeSha256(file)).sha256;

    const down = ctx('.mlops-pull');
    await rm(file);
    const pullRemote = await remote(down, 'read');
    const pulled = await timed((options) => pullData(down, pullRemote, [rel], options));
    await pullRemote.close();
    if ((await nodeSha256(file)).sha256 !== expected) throw new Error('pulled bytes differ');
    const copy = join(root, 'plain-download.bin');
    const plainDownS = await seconds(async () => {
      const got = await client.send(
        new GetObjectCommand({ Bucket: server.bucket, Key: 'plain/big.bin' }),
      );
      await pipeline(got.Body as Readable, createWriteStream(copy));
    });
    for (const [metric, { s, stages }, base, name] of [
      ['push_mb_per_s', pushed, plainUpS, 'AWS SDK lib-storage multipart upload (8 MiB x 4)'],
      ['pull_mb_per_s', pulled, plainDownS, 'AWS SDK GetObject streamed to a file'],
    ] as const) {
      report({
        bench: 'data',
        metric,
        value: Number((bytes / MB / s).toFixed(1)),
        unit: 'MB/s',
        baseline: { name, value: Number((bytes / MB / base).toFixed(1)) },
        ratio: Number((base / s).toFixed(3)),
        bytes,
        stages_s: stages,
        server: 's3rver on 127.0.0.1',
      });
    }
  } finally {
    client.destroy();
    await server.stop();
  }
}
