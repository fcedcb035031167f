import { createHash, randomBytes } from 'node:crypto';
import { request, type OutgoingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startS3Server, type S3TestServer } from './s3-server.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// s3rver serves unsigned requests, so plain HTTP can cut a body short where an SDK would not.
describe('startS3Server: uploads are all or nothing, as on S3', () => {
  let s3: S3TestServer;
  let admin: S3Client;

  beforeAll(async () => {
    s3 = await startS3Server();
    admin = new S3Client(s3.clientConfig);
  });
  afterAll(async () => {
    admin?.destroy();
    await s3?.stop();
  });

  const url = (key: string) => `${s3.endpoint}/${s3.bucket}/${key}`;
  const put = (key: string, body: Buffer, headers: OutgoingHttpHeaders = {}) =>
    new Promise<number>((resolve, reject) => {
      const req = request(url(key), { method: 'PUT', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  /** The stored size, or undefined when there is no object under `key`. */
  const sizeOf = async (key: string) => {
    try {
      const head = await admin.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
      return head.ContentLength;
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        return undefined;
      }
      throw err;
    }
  };
  const keysUnder = async (prefix: string) =>
    (
      (await admin.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix })))
        .Contents ?? []
    ).map((o) => o.Key);

  it('stores nothing from a PUT whose client goes away mid-body', async () => {
    const key = 'aborted/object';
    const body = randomBytes(1024 * 1024);
    const req = request(url(key), {
      method: 'PUT',
      headers: { 'content-length': body.byteLength },
    });
    req.on('error', () => {}); // the socket is destroyed on purpose
    req.write(body.subarray(0, 256 * 1024));
    // Once the server is reading the body, s3rver alone would already show an object.
    await vi.waitFor(async () => {
      const sent = await s3.requests();
      expect(sent.some((r) => r.method === 'PUT' && r.url.endsWith(key))).toBe(true);
    });
    await sleep(100);
    req.destroy();
    await s3.settle();
    expect(await sizeOf(key)).toBeUndefined();
    expect(await keysUnder('aborted/')).toEqual([]);

    // The same request sent whole stores the object.
    expect(await put(key, body)).toBe(200);
    expect(await sizeOf(key)).toBe(body.byteLength);
  });

  it('refuses a body that does not match its signed x-amz-content-sha256', async () => {
    const key = 'mismatch/object';
    const body = randomBytes(1000);
    const other = sha(randomBytes(1000));
    expect(await put(key, body, { 'x-amz-content-sha256': other })).toBe(400);
    expect(await sizeOf(key)).toBeUndefined();
    expect(await put(key, body, { 'x-amz-content-sha256': sha(body) })).toBe(200);
    expect(await sizeOf(key)).toBe(1000);
  });
});
