import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3TestServer } from '../../src/testing/index.js';
import { CLI, runNode, type Result } from './cli-harness.js';
import { closedPort, s3Workspace, sha256 } from './data-harness.js';

/** About 1 MB of CSV rows with varied values, so content-defined chunking cuts many chunks. */
function pricesCsv(): Buffer {
  const rows = ['Date,Open,High,Low,Close,Volume'];
  let x = 12345;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  for (let i = 0; i < 20_000; i++) {
    const open = 100 + next() * 50;
    rows.push(
      `2020-01-01T${String(i).padStart(6, '0')},${open.toFixed(4)},${(open + next()).toFixed(4)},${(open - next()).toFixed(4)},${(open + next() - 0.5).toFixed(4)},${Math.floor(next() * 1e6)}`,
    );
  }
  return Buffer.from(rows.join('\n') + '\n');
}

describe('mlops data push/pull/fetch and remotes (built CLI, s3rver)', () => {
  let s3: S3TestServer;
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;
  beforeAll(async () => ({ s3, dir, env, cleanup } = await s3Workspace()));
  afterAll(() => cleanup?.());

  const run = (args: string[], extraEnv: Record<string, string> = {}): Promise<Result> =>
    runNode([CLI, ...args], dir, { ...env, ...extraEnv });
  const ok = async (...args: string[]) => {
    const out = await run(args);
    expect(out.code, out.stderr).toBe(0);
    return out;
  };
  const json = async <T>(...args: string[]) =>
    JSON.parse((await ok(...args, '--json')).stdout) as T;
  const csv = () => join(dir, 'data', 'prices.csv');
  const cacheFiles = async () => {
    try {
      return (await readdir(join(dir, '.mlops', 'blobs'), { recursive: true })).length;
    } catch {
      return 0;
    }
  };
  const puts = async () => (await s3.requests()).filter((r) => r.method === 'PUT').length;

  interface Transfer {
    blobs: number;
    bytes: number;
    skipped: number;
    remote: string;
    paths: { path: string; action: string }[];
  }

  const original = pricesCsv();
  const edited = Buffer.from(original);
  edited.write('9', original.indexOf('\n', 500_000) + 25); // one digit in the middle

  it('configures an S3 remote in mlops.yaml, keeping what was there', async () => {
    await writeFile(join(dir, 'mlops.yaml'), '# my project\nname: demo\n');
    await ok(
      'data',
      'remote',
      'add',
      'origin',
      `s3://${s3.bucket}/mlops`,
      '--endpoint',
      s3.endpoint,
      '--region',
      s3.region,
      '--default',
    );
    const text = await readFile(join(dir, 'mlops.yaml'), 'utf8');
    expect(text).toMatch(/^# my project\nname: demo\nremotes:\n {2}origin:\n/);
    expect(text).not.toMatch(/S3RVER|secret|access/i);
    const list = await json<{ defaultName: string; remotes: { name: string }[] }>(
      'data',
      'remote',
      'list',
    );
    expect(list.defaultName).toBe('origin');
  });

  it('pushes a file, then only the chunks a small edit changed', async () => {
    await writeFile(csv(), original);
    await ok('data', 'add', 'data/prices.csv');
    await s3.clearRequests();
    const first = await run(['data', 'push', '--progress']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/data\/prices\.csv\s+\w+\s+\d+\s+transferred/);
    expect(first.stdout).toMatch(/Pushed \d+ blobs \([\d.]+ [kM]B\) to 'origin'/);
    expect(first.stderr).toMatch(/pushed (\d+)\/\1 blobs, [\d.]+ [kM]B/);
    const sentFirst = Number(/Pushed (\d+) blobs/.exec(first.stdout)?.[1]);
    expect(sentFirst).toBeGreaterThan(5);
    expect(await puts()).toBe(sentFirst);

    // Nothing changed: nothing sent.
    await s3.clearRequests();
    const again = await json<Transfer>('data', 'push');
    expect(again).toMatchObject({ blobs: 0, bytes: 0, paths: [{ action: 'up-to-date' }] });
    expect(await puts()).toBe(0);

    // One digit changed: a chunk or two and the new manifest.
    await writeFile(csv(), edited);
    await ok('data', 'add', 'data/prices.csv');
    await s3.clearRequests();
    const second = await json<Transfer>('data', 'push', 'data/prices.csv', '--remote', 'origin');
    expect(second.blobs).toBeGreaterThanOrEqual(2);
    expect(second.blobs).toBeLessThanOrEqual(4);
    expect(second.bytes).toBeLessThan(original.byteLength / 4);
    expect(await puts()).toBe(second.blobs);

    const status = await json<{ remote: string }[]>('data', 'status', '--remote', 'origin');
    expect(status).toMatchObject([{ status: 'ok', remote: 'in-remote' }]);
  });

  it('pulls into an empty cache and workspace, byte for byte', async () => {
    await rm(join(dir, '.mlops', 'blobs'), { recursive: true, force: true });
    await rm(csv());
    const pulled = await json<Transfer & { checkout: { action: string }[] }>('data', 'pull');
    expect(pulled.blobs).toBeGreaterThan(5);
    expect(pulled.checkout).toMatchObject([{ path: 'data/prices.csv', action: 'restored' }]);
    expect(sha256(await readFile(csv()))).toBe(sha256(edited));
    expect(await json('data', 'status')).toMatchObject([{ status: 'ok', cached: true }]);
  });

  it('round-trips through a local-directory remote', async () => {
    await ok('data', 'remote', 'add', 'backup', '../backup-remote');
    const pushed = await json<Transfer>('data', 'push', '-r', 'backup');
    expect(pushed.blobs).toBeGreaterThan(5);
    await rm(join(dir, '.mlops', 'blobs'), { recursive: true, force: true });
    await rm(csv());
    const fetched = await json<Transfer>('data', 'fetch', '--remote', 'backup');
    expect(fetched.blobs).toBe(pushed.blobs);
    await expect(readFile(csv())).rejects.toThrow(); // fetch leaves the workspace alone
    await ok('data', 'pull', '--remote', 'backup');
    expect(sha256(await readFile(csv()))).toBe(sha256(edited));
  });

  it('an unreachable remote is a clear error, and nothing is written locally', async () => {
    const port = await closedPort();
    await ok(
      'data',
      'remote',
      'add',
      'dead',
      `s3://${s3.bucket}/mlops`,
      '--endpoint',
      `http://127.0.0.1:${port}`,
    );
    const push = await run(['data', 'push', '--remote', 'dead']);
    expect(push.code).toBe(6);
    expect(push.stderr).toContain(`Cannot reach the S3 endpoint http://127.0.0.1:${port}`);

    await rm(join(dir, '.mlops', 'blobs'), { recursive: true, force: true });
    await rm(csv());
    const pull = await run(['data', 'pull', '--remote', 'dead']);
    expect(pull.code).toBe(6);
    expect(pull.stderr).toMatch(/error \[IO_ERROR\]: Cannot reach/);
    expect(await cacheFiles()).toBe(0);
    await expect(readFile(csv())).rejects.toThrow();
  });

  it('missing credentials are a clear error', async () => {
    const out = await run(['data', 'pull'], {
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-such-credentials'),
      AWS_CONFIG_FILE: join(dir, 'no-such-config'),
    });
    expect(out.code).toBe(6);
    expect(out.stderr).toContain('No AWS credentials found');
    expect(await cacheFiles()).toBe(0);
    await expect(readFile(csv())).rejects.toThrow();
  });

  it('an unknown remote name is an error naming the known ones', async () => {
    const out = await run(['data', 'push', '--remote', 'orign']);
    expect(out.code).toBe(3);
    expect(out.stderr).toContain(
      "Unknown remote 'orign': known remotes: backup, dead, origin (default)",
    );
  });

  it('refuses credentials in mlops.yaml', async () => {
    const path = join(dir, 'mlops.yaml');
    const before = await readFile(path, 'utf8');
    await writeFile(path, before + '    secret_access_key: oops\n');
    const out = await run(['data', 'remote', 'list']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("has 'secret_access_key', which looks like a credential");
    await writeFile(path, before);
    // After all this, the data is still pullable from the default remote.
    await ok('data', 'pull');
    expect(sha256(await readFile(csv()))).toBe(sha256(edited));
  });
});
