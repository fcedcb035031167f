// Helpers the data e2e tests share: git in a temp repo, hashing, seeded noise, flipping a stored
// byte, a workspace beside s3rver, a closed port, killing a CLI run part-way, and snapshots of what a refused command must
// leave alone.
import { execFileSync, spawn } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, realpath, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, sep } from 'node:path';
import { readManifest, type BlobStore } from '../../src/blobs/index.js';
import { startS3Server, type S3TestServer } from '../../src/testing/index.js';
import { CLI, tempWorkspace } from './cli-harness.js';

/** A seeded generator of floats in [0, 1): the one the data benchmarks use. */
export { mulberry32 } from '../../bench/data-gen.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'mlops test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'mlops test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** Runs git in `cwd` with a fixed identity; returns its stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
}

export const sha256 = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

export async function sha256File(path: string): Promise<string> {
  const hasher = createHash('sha256');
  for await (const piece of createReadStream(path)) hasher.update(piece as Buffer);
  return hasher.digest('hex');
}

/** `length` pseudo-random bytes named by `seed` (AES-256-CTR keystream). */
export function noise(seed: string, length: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

/** Flips the low bit of byte `at` of `file` (a stored blob, say); returns the bytes it had. */
export async function flipByte(file: string, at: number): Promise<Buffer> {
  const original = await readFile(file);
  const flipped = Buffer.from(original);
  flipped[at] = (flipped[at] ?? 0) ^ 0x01;
  await writeFile(file, flipped);
  return original;
}

/** s3rver and a workspace for the CLI to reach it from. */
export interface S3Workspace {
  readonly s3: S3TestServer;
  /** A temp folder (its real path), so remotes and files can sit beside the workspace. */
  readonly root: string;
  /** The workspace, `<root>/ws`, with an empty `data/` folder. */
  readonly dir: string;
  /**
   * The CLI's env: s3rver's credentials (stores take them only from the environment), no
   * instance-metadata lookups, no default remote from the outer environment.
   */
  readonly env: Record<string, string>;
  /** Stops s3rver and deletes the temp folder. */
  cleanup(): Promise<void>;
}

/** Makes a workspace in a fresh temp folder and starts s3rver; call `cleanup()` in `afterAll`. */
export async function s3Workspace(): Promise<S3Workspace> {
  const temp = await tempWorkspace();
  try {
    const root = await realpath(temp.dir);
    const dir = join(root, 'ws');
    await mkdir(join(dir, 'data'), { recursive: true });
    const s3 = await startS3Server();
    const env = { ...s3.env, AWS_EC2_METADATA_DISABLED: 'true', MLOPS_REMOTE: '' };
    const cleanup = async () => {
      await s3.stop();
      await temp.cleanup();
    };
    return { s3, root, dir, env, cleanup };
  } catch (err) {
    await temp.cleanup();
    throw err;
  }
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Runs the built CLI with `args` in `cwd` and SIGKILLs it after `delayMs` if it still runs.
 * `code` is the exit code of a run that finished first.
 */
export function mlopsKilledAfter(
  cwd: string,
  args: readonly string[],
  delayMs: number,
  env: Record<string, string> = {},
): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, MLOPS_TRACKING_URI: '', MLOPS_ARTIFACT_URI: '', ...env },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

/** A stored file's blobs: its manifest id, then its chunk hashes in order. */
export async function blobsOfFile(store: BlobStore, manifestId: string): Promise<string[]> {
  const manifest = await readManifest(store, manifestId);
  return [manifestId, ...manifest.chunks.map((c) => c.hash)];
}

/** The `sha256` and `manifest` fields of a pointer file. */
export async function readPointerIds(
  pointerFile: string,
): Promise<{ sha256: string; manifest: string }> {
  const text = await readFile(pointerFile, 'utf8');
  return {
    sha256: /^sha256: ([0-9a-f]{64})$/m.exec(text)?.[1] ?? '',
    manifest: /^manifest: ([0-9a-f]{64})$/m.exec(text)?.[1] ?? '',
  };
}

/**
 * Every file under `dir` (not `.git/`, nor mlops state other than the byte store) by relative
 * path: the sha256 of a file's bytes, `-> target` for a symlink. Two equal snapshots mean a
 * command changed no data, pointer, config or blob there.
 */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const parts = name.split(sep);
    if (parts[0] === '.git') continue;
    if (parts[0] === '.mlops' && parts[1] !== 'blobs') continue;
    const path = join(dir, name);
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) out[name] = `-> ${await readlink(path)}`;
    else if (stats.isFile()) out[name] = sha256(await readFile(path));
  }
  return out;
}
