import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** One HTTP request the test server received (`url` with its query string). */
export interface S3Request {
  readonly method: string;
  readonly url: string;
}

/**
 * A local S3-compatible server (s3rver) for tests, listening on 127.0.0.1. As on S3, an upload
 * becomes an object only once its whole body has arrived: a client killed mid-PUT leaves nothing.
 */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`: pass as `endpoint` (path-style addressing). */
  readonly endpoint: string;
  /** A bucket that exists on the server. */
  readonly bucket: string;
  /** The region to sign with (s3rver accepts any). */
  readonly region: string;
  /**
   * The credentials s3rver accepts, as environment variables: stores take credentials only
   * from the environment or an AWS profile, so tests set these (`vi.stubEnv`, or a child's env).
   */
  readonly env: Readonly<Record<string, string>>;
  /** Settings for a raw SDK client on this server: `new S3Client(s3.clientConfig)`. */
  readonly clientConfig: {
    readonly endpoint: string;
    readonly region: string;
    readonly forcePathStyle: true;
    readonly credentials: typeof S3RVER_CREDENTIALS;
  };
  /** Creates one more empty bucket and returns its name. */
  createBucket(name?: string): Promise<string>;
  /**
   * The requests received since the start or the last `clearRequests()`, in order: tests check
   * what a store sent (a multipart upload happened, a push sent only the missing blobs).
   */
  requests(): Promise<S3Request[]>;
  clearRequests(): Promise<void>;
  /**
   * Resolves once no request has been in progress for a moment. A client killed mid-push may
   * have sent a whole body the server is still storing (the object appears after the kill, as
   * on S3): settle before taking stock of the bucket.
   */
  settle(): Promise<void>;
  /** Closes the server and deletes its directory. */
  stop(): Promise<void>;
}

/** s3rver's fixed access key pair (it checks request signatures against it). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** The child process's script: s3rver, made to store only complete uploads, as S3 does. */
const CHILD = fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url));

/**
 * Starts s3rver on 127.0.0.1 with a free port, storing objects in a fresh temp directory, with
 * one empty bucket. It runs in a child process because s3rver 3.x encrypts list continuation
 * tokens with DES, which Node 20's OpenSSL 3 offers only with `--openssl-legacy-provider`
 * (in-process, every paginated ListObjectsV2 would fail with a 500). Call `stop()` in `afterAll`.
 */
export async function startS3Server(options: { bucket?: string } = {}): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'mlops-s3rver-'));
  const bucket = options.bucket ?? `mlops-test-${randomBytes(4).toString('hex')}`;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', CHILD, directory, bucket], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });

  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let ready: ((port: number) => void) | undefined;
  let failed: ((err: Error) => void) | undefined;
  lines.on('line', (line) => {
    let msg: { port?: number; id?: number; result?: unknown; error?: string };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return; // not ours (a stray log line)
    }
    if (msg.port !== undefined) return ready?.(msg.port);
    const waiter = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!waiter || msg.id === undefined) return;
    pending.delete(msg.id);
    if (msg.error !== undefined) waiter.reject(new Error(`s3rver: ${msg.error}`));
    else waiter.resolve(msg.result);
  });
  void exited.then(() => {
    const err = new Error('s3rver exited');
    failed?.(err);
    for (const waiter of pending.values()) waiter.reject(err);
    pending.clear();
  });

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      ready = resolve;
      failed = reject;
      setTimeout(() => reject(new Error('s3rver did not start within 20 s')), 20_000).unref();
    });
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  failed = undefined;

  let nextId = 0;
  const call = (op: string, extra: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, op, ...extra })}\n`);
    });

  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: 'us-east-1',
    clientConfig: {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    },
    env: {
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
    async createBucket(name = `mlops-test-${randomBytes(4).toString('hex')}`) {
      return (await call('createBucket', { name })) as string;
    },
    async requests() {
      return (await call('requests')) as S3Request[];
    },
    async clearRequests() {
      await call('clear');
    },
    async settle() {
      await call('settle');
    },
    stop() {
      stopping ??= (async () => {
        lines.close();
        child.stdin.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
        await rm(directory, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
