import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, vi } from 'vitest';
import { LocalBlobStore, S3BlobStore } from '../blobs/index.js';
import { blobStoreSuite } from './blob-store.suite.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

blobStoreSuite('LocalBlobStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mlops-blobs-'));
  const store = new LocalBlobStore(join(root, 'blobs'));
  return {
    store,
    cleanup: () => rm(root, { recursive: true, force: true }),
    corrupt: (hash) => writeFile(store.pathOf(hash), 'tampered'),
  };
});

// One s3rver for the file, started on first use; each test gets a fresh prefix in its bucket.
let server: Promise<S3TestServer> | undefined;
let admin: S3Client | undefined;
afterAll(async () => {
  admin?.destroy();
  await (await server)?.stop();
});

blobStoreSuite('S3BlobStore (s3rver)', async () => {
  server ??= startS3Server();
  const s3 = await server;
  for (const [name, value] of Object.entries(s3.env)) vi.stubEnv(name, value);
  admin ??= new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true });
  const client = admin;
  const prefix = `runs/${randomBytes(6).toString('hex')}`;
  // A low multipart threshold so the few-MB case also goes through a multipart upload.
  const store = new S3BlobStore(`s3://${s3.bucket}/${prefix}`, {
    endpoint: s3.endpoint,
    multipartThreshold: 5 * 1024 * 1024,
    partSize: 5 * 1024 * 1024,
  });
  return {
    store,
    cleanup: () => store.close(),
    corrupt: async (hash) => {
      await client.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: store.keyOf(hash), Body: 'tampered' }),
      );
    },
  };
});
