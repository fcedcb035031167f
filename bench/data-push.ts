// push_mb_per_s / pull_mb_per_s: pushData/pullData of one file to a local s3rver, against a plain
// AWS SDK multipart upload (lib-storage) and a streamed GetObject of the same file, same server.
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { LocalBlobStore } from '../src/blobs/index.js';
import { addData, openRemote, pullData, pushData, type DataContext } from '../src/data/index.js';
import { S3RVER_CREDENTIALS, startS3Server } from '../src/testing/index.js';
import { nodeSha256, seconds } from './data-measure.js';
import { report } from './report.js';

const MB = 1_000_000;

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
    const pushS = await seconds(() => pushData(up, pushRemote, [rel]));
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
    const pullS = await seconds(() => pullData(down, pullRemote, [rel]));
    await pullRemote.close();
    if ((await nodeSha256(file)).sha256 !== expected) throw new Error('pulled bytes differ');
    const copy = join(root, 'plain-download.bin');
    const plainDownS = await seconds(async () => {
      const got = await client.send(
        new GetObjectCommand({ Bucket: server.bucket, Key: 'plain/big.bin' }),
      );
      await pipeline(got.Body as Readable, createWriteStream(copy));
    });
    for (const [metric, s, base, name] of [
      ['push_mb_per_s', pushS, plainUpS, 'AWS SDK lib-storage multipart upload (8 MiB x 4)'],
      ['pull_mb_per_s', pullS, plainDownS, 'AWS SDK GetObject streamed to a file'],
    ] as const) {
      report({
        bench: 'data',
        metric,
        value: Number((bytes / MB / s).toFixed(1)),
        unit: 'MB/s',
        baseline: { name, value: Number((bytes / MB / base).toFixed(1)) },
        ratio: Number((base / s).toFixed(3)),
        bytes,
        server: 's3rver on 127.0.0.1',
      });
    }
  } finally {
    client.destroy();
    await server.stop();
  }
}
