import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { invalidParam, MlopsError } from '../core/index.js';
import { assertBlobHash, sha256Hex } from './blob-hash.js';
import type { BlobStore } from './blob-store.js';
import { errorNameOf, httpStatusOf, noSuchBucket, s3Error, type S3Target } from './s3-errors.js';
import { findPresent } from './s3-presence.js';

/** How to reach the bucket; credentials are never options (environment or AWS profile only). */
export interface S3BlobStoreOptions {
  /** An S3-compatible server (`http://127.0.0.1:9000`); absent means AWS S3. */
  readonly endpoint?: string;
  /** Signing region; default: the SDK's (AWS_REGION, profile), or `us-east-1` with an endpoint. */
  readonly region?: string;
  /** An AWS profile from ~/.aws/config / ~/.aws/credentials (default: AWS_PROFILE or `default`). */
  readonly profile?: string;
  /** Path-style addressing (`endpoint/bucket/key`); default true when an endpoint is given. */
  readonly forcePathStyle?: boolean;
  /** Bodies larger than this go up as a multipart upload (default 16 MiB, at least 5 MiB). */
  readonly multipartThreshold?: number;
  /** Part size of multipart uploads (default 8 MiB, at least 5 MiB). */
  readonly partSize?: number;
  /** Parts of one multipart upload in flight at once (default 4). */
  readonly uploadConcurrency?: number;
  /** Attempts per request, retries included (default 3). */
  readonly maxAttempts?: number;
  /** Milliseconds to wait for a TCP connection (default 10 000). */
  readonly connectionTimeoutMs?: number;
  /** Keys per ListObjectsV2 page (default: the server's, 1000 on S3). */
  readonly listPageSize?: number;
}

const MIB = 1024 * 1024;
const MIN_PART = 5 * MIB;
const KEY_TAIL = /^([0-9a-f]{2})\/([0-9a-f]{62})$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket/some/prefix` -> bucket and prefix (no leading or trailing slash; may be ''). */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/?#]*)(?:\/([^?#]*))?$/.exec(uri);
  if (!match) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !/^s3:/i.test(uri)) {
      throw new MlopsError('UNSUPPORTED_URI', `Not an S3 URL: ${JSON.stringify(uri)}.`, {
        details: { uri },
      });
    }
    throw invalidParam(`Invalid S3 URL ${JSON.stringify(uri)}: expected s3://bucket[/prefix].`, {
      uri,
    });
  }
  const bucket = match[1] ?? '';
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw invalidParam(
      `Invalid bucket name ${JSON.stringify(bucket)} in ${uri}: 3-63 lower-case letters, digits, dots and hyphens.`,
      { uri },
    );
  }
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix !== '' && prefix.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw invalidParam(
      `Invalid prefix ${JSON.stringify(prefix)} in ${uri}: empty, . and .. parts are not allowed.`,
      { uri },
    );
  }
  return { bucket, prefix };
}

export interface S3PutOptions {
  /**
   * The caller has just found the blob missing (`hasMany`, which checks many at once): upload
   * without looking it up first. Storing a blob that is there after all only costs the upload.
   */
  readonly knownMissing?: boolean;
}

export interface S3HasManyOptions {
  /** Requests in flight at once (default 16). */
  readonly concurrency?: number;
  /** Called with the number of hashes answered so far. */
  readonly onChecked?: (checked: number) => void;
  /**
   * Expected sizes in bytes (all or some of the hashes): an object of another size counts as
   * missing, so that a push stores it again. S3 never shows a partial upload, but an
   * S3-compatible server might keep one from a killed client. Costs no extra request: listings
   * and HEADs carry sizes.
   */
  readonly sizes?: ReadonlyMap<string, number>;
}

interface Connection {
  readonly sdk: typeof S3Sdk;
  readonly client: S3Client;
}

/**
 * Blobs as objects in an S3 bucket (AWS or S3-compatible): `<prefix>/<first 2 hex>/<other 62>`.
 * S3 makes an object visible only once its upload (single or multipart) completes, so a crash
 * never leaves a partial blob under a valid name. The AWS SDK is imported on first use, so that
 * loading this module costs nothing. Call `close()` when done to release sockets.
 */
export class S3BlobStore implements BlobStore {
  readonly location: string;
  readonly bucket: string;
  /** Key prefix without a trailing slash ('' for the bucket root). */
  readonly prefix: string;
  readonly endpoint: string | undefined;
  private readonly options: S3BlobStoreOptions;
  private readonly target: S3Target;
  private connection: Promise<Connection> | undefined;
  private bucketChecked: Promise<void> | undefined;

  constructor(uri: string, options: S3BlobStoreOptions = {}) {
    const { bucket, prefix } = parseS3Uri(uri);
    if (options.endpoint !== undefined) checkEndpoint(options.endpoint);
    for (const [name, min] of [
      ['multipartThreshold', MIN_PART],
      ['partSize', MIN_PART],
      ['uploadConcurrency', 1],
      ['maxAttempts', 1],
      ['connectionTimeoutMs', 1],
      ['listPageSize', 1],
    ] as const) {
      const value = options[name];
      if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
        throw invalidParam(`S3 option ${name} must be an integer >= ${min}, got ${value}.`);
      }
    }
    this.bucket = bucket;
    this.prefix = prefix;
    this.endpoint = options.endpoint?.replace(/\/+$/, '');
    this.location = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
    this.options = options;
    this.target = { location: this.location, bucket, endpoint: this.endpoint };
  }

  /** The object key of a blob (whether or not it exists). */
  keyOf(hash: string): string {
    assertBlobHash(hash);
    const tail = `${hash.slice(0, 2)}/${hash.slice(2)}`;
    return this.prefix ? `${this.prefix}/${tail}` : tail;
  }

  async put(bytes: Uint8Array, options: S3PutOptions = {}): Promise<string> {
    const hash = sha256Hex(bytes);
    const key = this.keyOf(hash);
    const { sdk, client } = await this.connect();
    try {
      // Same name and size: already stored (content is re-checked on every read).
      if (options.knownMissing !== true && (await this.headSize(key)) === bytes.byteLength) {
        return hash;
      }
      const threshold = this.options.multipartThreshold ?? 16 * MIB;
      if (bytes.byteLength <= threshold) {
        await client.send(
          new sdk.PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: bytes,
            ContentLength: bytes.byteLength,
            ContentType: 'application/octet-stream',
            // The server checks the bytes it received against our hash (and see `connect`).
            ChecksumSHA256: Buffer.from(hash, 'hex').toString('base64'),
          }),
        );
      } else {
        const { Upload } = await import('@aws-sdk/lib-storage');
        const upload = new Upload({
          client,
          params: {
            Bucket: this.bucket,
            Key: key,
            Body: bytes,
            ContentType: 'application/octet-stream',
          },
          partSize: this.options.partSize ?? 8 * MIB,
          queueSize: this.options.uploadConcurrency ?? 4,
          // A failed upload is aborted, so no orphan parts are left to pay for.
          leavePartsOnError: false,
        });
        await upload.done();
      }
    } catch (err) {
      throw s3Error(`store blob ${hash}`, this.target, err);
    }
    return hash;
  }

  async get(hash: string): Promise<Uint8Array> {
    const key = this.keyOf(hash);
    const { sdk, client } = await this.connect();
    let bytes: Buffer;
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      bytes = await readBody(res.Body as AsyncIterable<Uint8Array> | undefined, res.ContentLength);
    } catch (err) {
      if (errorNameOf(err) === 'NoSuchKey') throw this.notFound(hash, key);
      throw s3Error(`read blob ${hash}`, this.target, err);
    }
    const actual = sha256Hex(bytes);
    if (actual !== hash) {
      throw new MlopsError(
        'BLOB_CORRUPT',
        `Blob ${hash} in ${this.location} is corrupt: its bytes hash to ${actual}. Delete the object ${key}${this.at()} and store it again (push it from a cache that has it).`,
        { details: { hash, actual, key, location: this.location, endpoint: this.endpoint } },
      );
    }
    return bytes;
  }

  async has(hash: string): Promise<boolean> {
    return (await this.storedSize(hash)) !== undefined;
  }

  async size(hash: string): Promise<number> {
    const size = await this.storedSize(hash);
    if (size === undefined) throw this.notFound(hash, this.keyOf(hash));
    return size;
  }

  /** Nothing to do: S3 acknowledges a PUT only once the object is stored durably. */
  async flush(): Promise<void> {}

  async delete(hash: string): Promise<void> {
    const key = this.keyOf(hash);
    const { sdk, client } = await this.connect();
    try {
      // S3 answers 204 whether or not the key existed.
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      throw s3Error(`delete blob ${hash}`, this.target, err);
    }
  }

  async *list(): AsyncIterable<string> {
    for await (const page of this.listPages('')) yield* page.sizes.keys();
  }

  /**
   * The subset of `hashes` that is stored, with the expected size where `options.sizes` gives
   * one (for push: send only what the remote lacks). Many hashes are answered by listing their
   * key shards, or the whole prefix, where that takes fewer requests than a HEAD each (see
   * `findPresent`); at most `concurrency` requests in flight.
   */
  async hasMany(hashes: Iterable<string>, options: S3HasManyOptions = {}): Promise<Set<string>> {
    const unique = [...new Set(hashes)];
    for (const hash of unique) assertBlobHash(hash);
    return findPresent(
      unique,
      {
        head: (hash) => this.storedSize(hash),
        list: async (shard, maxPages) => {
          const sizes = new Map<string, number>();
          let pages = 0;
          for await (const page of this.listPages(shard === '' ? '' : `${shard}/`)) {
            for (const [hash, size] of page.sizes) sizes.set(hash, size);
            pages += 1;
            if (page.more && pages >= maxPages) return { sizes, pages, complete: false };
          }
          return { sizes, pages, complete: true };
        },
      },
      {
        concurrency: options.concurrency ?? 16,
        pageSize: this.options.listPageSize ?? 1000,
        ...(options.onChecked === undefined ? {} : { onChecked: options.onChecked }),
        ...(options.sizes === undefined ? {} : { sizes: options.sizes }),
      },
    );
  }

  /** Releases the client's sockets; the store reconnects if used again. */
  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (!connection) return;
    const { client } = await connection.catch(() => ({ client: undefined }));
    client?.destroy();
  }

  /** The blobs under `<prefix>/<sub>` and their sizes, one ListObjectsV2 page at a time. */
  private async *listPages(
    sub: string,
  ): AsyncIterable<{ sizes: Map<string, number>; more: boolean }> {
    const { sdk, client } = await this.connect();
    const prefix = this.prefix ? `${this.prefix}/` : '';
    let token: string | undefined;
    do {
      let page: S3Sdk.ListObjectsV2CommandOutput;
      try {
        page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: `${prefix}${sub}`,
            ...(token === undefined ? {} : { ContinuationToken: token }),
            ...(this.options.listPageSize === undefined
              ? {}
              : { MaxKeys: this.options.listPageSize }),
          }),
        );
      } catch (err) {
        throw s3Error('list blobs', this.target, err);
      }
      const sizes = new Map<string, number>();
      for (const object of page.Contents ?? []) {
        const key = object.Key;
        if (key === undefined || !key.startsWith(prefix)) continue;
        const match = KEY_TAIL.exec(key.slice(prefix.length));
        if (match) sizes.set(`${match[1]}${match[2]}`, object.Size ?? 0);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      yield { sizes, more: token !== undefined };
    } while (token !== undefined);
  }

  /** The size of a stored blob, undefined when absent. */
  private async storedSize(hash: string): Promise<number | undefined> {
    const key = this.keyOf(hash);
    await this.connect();
    try {
      return await this.headSize(key);
    } catch (err) {
      throw s3Error(`look up blob ${hash}`, this.target, err);
    }
  }

  /** ContentLength of the object, undefined when absent (a missing bucket throws). */
  private async headSize(key: string): Promise<number | undefined> {
    const { sdk, client } = await this.connect();
    try {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (err) {
      // A HEAD answer has no body, so a missing key and a missing bucket both read 404.
      if (httpStatusOf(err) !== 404) throw err;
      await this.checkBucket();
      return undefined;
    }
  }

  /** Throws a clear error when the bucket does not exist; checked once per store. */
  private checkBucket(): Promise<void> {
    this.bucketChecked ??= (async () => {
      const { sdk, client } = await this.connect();
      try {
        await client.send(new sdk.HeadBucketCommand({ Bucket: this.bucket }));
      } catch (err) {
        // 403: the bucket exists but these credentials may not inspect it.
        if (httpStatusOf(err) === 403) return;
        if (httpStatusOf(err) === 404) throw noSuchBucket(this.target, err);
        throw err;
      }
    })();
    return this.bucketChecked.catch((err: unknown) => {
      this.bucketChecked = undefined;
      throw err;
    });
  }

  private connect(): Promise<Connection> {
    this.connection ??= (async () => {
      const sdk = await import('@aws-sdk/client-s3');
      const client = new sdk.S3Client(this.clientConfig());
      // SigV4 signs a hash of the body, which the signer would compute once more per PUT; it is
      // the SHA-256 that `put` already has (as ChecksumSHA256), so hand that over instead.
      client.middlewareStack.add(
        (next, context) => (args) => {
          const checksum = (args.input as { ChecksumSHA256?: string }).ChecksumSHA256;
          if (context.commandName === 'PutObjectCommand' && checksum !== undefined) {
            const { headers } = args.request as { headers: Record<string, string> };
            headers['x-amz-content-sha256'] = Buffer.from(checksum, 'base64').toString('hex');
          }
          return next(args);
        },
        { step: 'build', name: 'mlopsPayloadHash' },
      );
      return { sdk, client };
    })();
    return this.connection.catch((err: unknown) => {
      this.connection = undefined;
      throw s3Error('load the AWS SDK', this.target, err);
    });
  }

  private clientConfig(): S3ClientConfig {
    const { endpoint, options } = this;
    const config: S3ClientConfig = {
      forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
      maxAttempts: options.maxAttempts ?? 3,
      // Reuse each command's resolved middleware stack: a push or pull is thousands of small
      // requests, and resolving it for each was a large part of the client's CPU per request.
      cacheMiddleware: true,
      // `get` re-hashes every body with SHA-256, so the SDK's own CRC check would be redundant.
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: options.connectionTimeoutMs ?? 10_000 },
    };
    if (options.profile !== undefined) config.profile = options.profile;
    const region =
      options.region ??
      (endpoint === undefined
        ? undefined
        : (process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1'));
    if (region !== undefined) config.region = region;
    if (endpoint !== undefined) {
      config.endpoint = endpoint;
      // Many S3-compatible servers reject the SDK's default CRC32 trailers; send checksums only
      // where S3 requires them (put sends its own SHA-256, and get re-hashes anyway).
      config.requestChecksumCalculation = 'WHEN_REQUIRED';
    }
    return config;
  }

  private at(): string {
    return this.endpoint ? ` at ${this.endpoint}` : '';
  }

  private notFound(hash: string, key: string): MlopsError {
    return new MlopsError(
      'BLOB_NOT_FOUND',
      `Blob ${hash} not found in ${this.location} (object ${key}${this.at()}).`,
      { details: { hash, key, location: this.location, endpoint: this.endpoint } },
    );
  }
}

function checkEndpoint(endpoint: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalidParam(
      `Invalid S3 endpoint ${JSON.stringify(endpoint)}: expected an http:// or https:// URL.`,
      { endpoint },
    );
  }
}

/** Reads a response body into one buffer (pre-sized from Content-Length when known). */
async function readBody(
  body: AsyncIterable<Uint8Array> | undefined,
  expected: number | undefined,
): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (expected === undefined) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  const out = Buffer.allocUnsafe(expected);
  let at = 0;
  for await (const chunk of body) {
    if (at + chunk.byteLength > expected) {
      throw new Error(`the response is longer than its Content-Length ${expected}`);
    }
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  if (at !== expected) {
    throw new Error(`the response ended after ${at} of ${expected} bytes`);
  }
  return out;
}
