import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectCode, startS3Server, type S3TestServer } from '../testing/index.js';
import { parseS3Uri, S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.js';

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const text = (s: string) => new TextEncoder().encode(s);

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('parseS3Uri', () => {
  it('splits bucket and prefix, trimming slashes', () => {
    expect(parseS3Uri('s3://my-bucket')).toEqual({ bucket: 'my-bucket', prefix: '' });
    expect(parseS3Uri('s3://my-bucket/')).toEqual({ bucket: 'my-bucket', prefix: '' });
    expect(parseS3Uri('s3://my.bucket/a/b/')).toEqual({ bucket: 'my.bucket', prefix: 'a/b' });
  });

  it('refuses other schemes, bad bucket names and odd prefixes', () => {
    expect(() => parseS3Uri('gs://bucket/x')).toThrow(/Not an S3 URL/);
    for (const bad of ['s3://', 's3://ab', 's3://Upper', 's3://a..b', 'bucket/x']) {
      expect(() => parseS3Uri(bad), bad).toThrow(/Invalid/);
    }
    for (const bad of ['s3://bucket/a//b', 's3://bucket/a/../b', 's3://bucket/./a']) {
      expect(() => parseS3Uri(bad), bad).toThrow(/Invalid prefix/);
    }
  });
});

describe('S3BlobStore without a server', () => {
  it('lays keys out as <prefix>/<2 hex>/<62 hex>', () => {
    const hash = sha('x');
    expect(new S3BlobStore('s3://bucket/data/cache').keyOf(hash)).toBe(
      `data/cache/${hash.slice(0, 2)}/${hash.slice(2)}`,
    );
    expect(new S3BlobStore('s3://bucket').keyOf(hash)).toBe(`${hash.slice(0, 2)}/${hash.slice(2)}`);
    expect(new S3BlobStore('s3://bucket/p/').location).toBe('s3://bucket/p');
  });

  it('refuses a bad endpoint or option', async () => {
    await expectCode(
      Promise.resolve().then(() => new S3BlobStore('s3://bucket', { endpoint: 'localhost:9000' })),
      'INVALID_PARAMETER_VALUE',
    );
    await expectCode(
      Promise.resolve().then(() => new S3BlobStore('s3://bucket', { partSize: 1024 })),
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('names an unreachable endpoint and what to check', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
    const store = new S3BlobStore('s3://bucket/p', { endpoint });
    try {
      const started = Date.now();
      for (const call of [
        () => store.put(text('x')),
        () => store.get(sha('x')),
        () => store.has(sha('x')),
        () => store.delete(sha('x')),
        () => collect(store.list()),
      ]) {
        const err = await expectCode(call(), 'IO_ERROR');
        expect(err.message).toContain(endpoint);
        expect(err.message).toContain('s3://bucket/p');
        expect(err.message).toMatch(
          /Cannot reach .*ECONNREFUSED.*Check the remote URL and --endpoint/,
        );
        expect(err.details?.['reason']).toBe('unreachable');
      }
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await store.close();
      vi.unstubAllEnvs();
    }
  });
});

describe('S3BlobStore on s3rver', () => {
  let s3: S3TestServer;
  let admin: S3Client;
  const stores: S3BlobStore[] = [];
  const open = (uri: string, options: S3BlobStoreOptions = {}) => {
    const store = new S3BlobStore(uri, { endpoint: s3.endpoint, ...options });
    stores.push(store);
    return store;
  };
  const fresh = () => open(`s3://${s3.bucket}/t/${randomBytes(6).toString('hex')}`);

  beforeAll(async () => {
    s3 = await startS3Server();
    admin = new S3Client(s3.clientConfig);
  });
  afterAll(async () => {
    admin.destroy();
    await s3.stop();
  });
  beforeEach(() => {
    for (const [name, value] of Object.entries(s3.env)) vi.stubEnv(name, value);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('reports a missing blob as BLOB_NOT_FOUND naming the hash and where it looked', async () => {
    const store = fresh();
    const hash = sha('absent');
    const err = await expectCode(store.get(hash), 'BLOB_NOT_FOUND');
    expect(err.message).toContain(hash);
    expect(err.message).toContain(store.location);
    expect(err.message).toContain(s3.endpoint);
  });

  it('reports a missing bucket clearly from every method', async () => {
    const store = open('s3://no-such-bucket/p');
    for (const call of [
      () => store.has(sha('x')),
      () => store.size(sha('x')),
      () => store.get(sha('x')),
      () => store.put(text('x')),
      () => store.delete(sha('x')),
      () => collect(store.list()),
      () => store.hasMany(Array.from({ length: 40 }, (_, i) => sha(`${i}`))),
    ]) {
      const err = await expectCode(call(), 'IO_ERROR');
      expect(err.message).toContain('Bucket "no-such-bucket" does not exist');
      expect(err.message).toContain(s3.endpoint);
      expect(err.details?.['reason']).toBe('no_bucket');
    }
  });

  it('reports credentials the server refuses', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'WRONG');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'WRONG');
    const err = await expectCode(fresh().put(text('x')), 'IO_ERROR');
    // HEAD answers carry no error name, so a refused key reads as access denied.
    expect(err.message).toMatch(/(refused the credentials|Access denied).*AWS_ACCESS_KEY_ID/);
    expect(['bad_credentials', 'access_denied']).toContain(err.details?.['reason']);
    const list = await expectCode(collect(fresh().list()), 'IO_ERROR');
    expect(list.message).toMatch(/refused the credentials.*InvalidAccessKeyId/);
  });

  it('reports missing credentials and where they are looked for', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-noaws-'));
    try {
      for (const name of [
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_PROFILE',
        'AWS_WEB_IDENTITY_TOKEN_FILE',
        'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
        'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      ]) {
        vi.stubEnv(name, undefined);
      }
      vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
      vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
      vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
      const err = await expectCode(fresh().has(sha('x')), 'IO_ERROR');
      expect(err.message).toMatch(/No AWS credentials found .*AWS_ACCESS_KEY_ID.*AWS_PROFILE/);
      expect(err.details?.['reason']).toBe('no_credentials');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lists only blob names under its prefix', async () => {
    const store = fresh();
    const hash = await store.put(text('mine'));
    const other = open(`${store.location}-sibling`);
    await other.put(text('theirs'));
    for (const key of [
      `${store.prefix}/readme.txt`,
      `${store.prefix}/${hash.slice(0, 2)}/short`,
      `${store.prefix}/${hash.slice(0, 2)}/${hash.slice(2)}.tmp`,
      `${store.prefix}/nested/${hash.slice(0, 2)}/${hash.slice(2)}`,
    ]) {
      await admin.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: 'junk' }));
    }
    expect(await collect(store.list())).toEqual([hash]);
  });

  it('lists across pages', async () => {
    const store = open(`s3://${s3.bucket}/pages/${randomBytes(4).toString('hex')}`, {
      listPageSize: 7,
    });
    const hashes = await Promise.all(Array.from({ length: 30 }, (_, i) => store.put(text(`${i}`))));
    await s3.clearRequests();
    const listed = await collect(store.list());
    expect(listed.length).toBe(30);
    expect(new Set(listed)).toEqual(new Set(hashes));
    const pages = (await s3.requests()).filter((r) => /[?&]list-type=2/.test(r.url));
    expect(pages.length).toBe(5);
  });

  it('rewrites an object whose size does not match (repair by put)', async () => {
    const store = fresh();
    const bytes = text('original bytes');
    const hash = await store.put(bytes);
    await admin.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: store.keyOf(hash), Body: 'short' }),
    );
    await expectCode(store.get(hash), 'BLOB_CORRUPT');
    expect(await store.put(bytes)).toBe(hash);
    expect(Buffer.from(await store.get(hash)).toString()).toBe('original bytes');
  });

  it('uploads large bodies in parts', async () => {
    const store = open(`s3://${s3.bucket}/mp/${randomBytes(4).toString('hex')}`, {
      multipartThreshold: 5 * 1024 * 1024,
    });
    const bytes = randomBytes(11 * 1024 * 1024);
    await s3.clearRequests();
    const hash = await store.put(bytes);
    const sent = await s3.requests();
    const parts = sent.filter((r) => r.method === 'PUT' && /[?&]partNumber=/.test(r.url));
    expect(parts.length).toBe(2);
    expect(sent.some((r) => r.method === 'POST' && /[?&]uploadId=/.test(r.url))).toBe(true);
    expect(Buffer.from(await store.get(hash)).equals(bytes)).toBe(true);
    expect(await store.size(hash)).toBe(bytes.byteLength);
    // Stored again: one HEAD, no upload.
    await s3.clearRequests();
    expect(await store.put(bytes)).toBe(hash);
    expect((await s3.requests()).map((r) => r.method)).toEqual(['HEAD']);
  });

  it('hasMany returns the stored subset', async () => {
    const store = fresh();
    const stored = await Promise.all(['a', 'b', 'c'].map((s) => store.put(text(s))));
    const absent = ['x', 'y'].map((s) => sha(s));
    const present = await store.hasMany([...stored, ...absent, stored[0] as string], {
      concurrency: 2,
    });
    expect(present).toEqual(new Set(stored));
    expect(await store.hasMany([])).toEqual(new Set());
    await expectCode(store.hasMany(['nope']), 'INVALID_PARAMETER_VALUE');
  });

  it('hasMany lists rather than looking up each of many blobs', async () => {
    const store = fresh();
    const stored = await Promise.all(
      Array.from({ length: 40 }, (_, i) => store.put(text(`many ${i}`))),
    );
    const absent = Array.from({ length: 30 }, (_, i) => sha(`absent ${i}`));
    await s3.clearRequests();
    const checked: number[] = [];
    const present = await store.hasMany([...absent, ...stored], {
      concurrency: 4,
      onChecked: (n) => checked.push(n),
    });
    expect(present).toEqual(new Set(stored));
    expect(checked.at(-1)).toBe(70);
    const sent = await s3.requests();
    expect(sent.filter((r) => r.method === 'HEAD')).toEqual([]);
    expect(sent.length).toBeLessThanOrEqual(3);
  });

  it('hasMany counts an object of another size than expected as missing', async () => {
    const store = fresh();
    const bytes = text('the whole blob');
    const hash = await store.put(bytes);
    const others = await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.put(text(`other ${i}`))),
    );
    // What a server that keeps a killed client's upload shows: a short object under the name.
    await admin.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: store.keyOf(hash), Body: 'the wh' }),
    );
    const sizes = new Map([[hash, bytes.byteLength]]);
    await s3.clearRequests();
    expect(await store.hasMany([hash], { sizes })).toEqual(new Set());
    expect(await store.hasMany([hash, ...others], { concurrency: 4, sizes })).toEqual(
      new Set(others),
    );
    // The first answer came from a HEAD, the second from listings.
    expect((await s3.requests()).map((r) => r.method)).toEqual(['HEAD', 'GET', 'GET']);
    expect(await store.hasMany([hash])).toEqual(new Set([hash]));

    // Found missing, it is stored again (as a push does).
    expect(await store.put(bytes, { knownMissing: true })).toBe(hash);
    expect(await store.hasMany([hash], { sizes })).toEqual(new Set([hash]));
    expect(Buffer.from(await store.get(hash)).toString()).toBe('the whole blob');
  });

  it('put with knownMissing uploads without a lookup first', async () => {
    const store = fresh();
    await s3.clearRequests();
    const hash = await store.put(text('new'), { knownMissing: true });
    expect((await s3.requests()).map((r) => r.method)).toEqual(['PUT']);
    expect(Buffer.from(await store.get(hash)).toString()).toBe('new');
  });

  it('works at the bucket root', async () => {
    const bucket = await s3.createBucket();
    const store = open(`s3://${bucket}`);
    const hash = await store.put(text('root'));
    expect(store.keyOf(hash)).toBe(`${hash.slice(0, 2)}/${hash.slice(2)}`);
    expect(await collect(store.list())).toEqual([hash]);
  });
});
