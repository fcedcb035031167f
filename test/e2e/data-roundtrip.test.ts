// Round trip on real prices: version a CSV, append its last rows with `data import` over HTTP,
// push both versions to S3 (s3rver), lose the cache and the file, pull, and get each committed
// version back byte for byte.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDatasetPath } from '../../src/forecast/index.js';
import type { S3TestServer } from '../../src/testing/index.js';
import { CLI, runNode } from './cli-harness.js';
import { git, s3Workspace, sha256, sha256File } from './data-harness.js';

/**
 * GOOG daily prices from the shared folder when this machine has it, else the dataset mlops
 * embeds (S&P 500 daily, npm package vega-datasets), so the test runs everywhere.
 */
const GOOG = '/work/shared/data/goog-2018-2023.csv';
const SOURCE = existsSync(GOOG) ? GOOG : defaultDatasetPath();
const HELD_BACK = 50;

describe(`data round trip on ${SOURCE.endsWith('goog-2018-2023.csv') ? 'GOOG' : 'S&P 500'} prices (built CLI, s3rver)`, () => {
  let s3: S3TestServer;
  let http: Server;
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;
  let full: Buffer;
  let first: { commit: string; sha256: string };
  let second: { commit: string; sha256: string };

  beforeAll(async () => {
    ({ s3, dir, env, cleanup } = await s3Workspace());
    // A last line without its newline (the S&P 500 file's) gets one when rows are appended.
    const raw = await readFile(SOURCE);
    full = raw.at(-1) === 0x0a ? raw : Buffer.concat([raw, Buffer.from('\n')]);
    http = createServer((req, res) => {
      res.statusCode = req.url === '/prices.csv' ? 200 : 404;
      res.end(req.url === '/prices.csv' ? full : 'not found');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    http?.closeAllConnections();
    await new Promise((resolve) => http?.close(resolve));
    await cleanup?.();
  });

  const csv = () => join(dir, 'data', 'prices.csv');
  const ok = async (...args: string[]) => {
    const out = await runNode([CLI, ...args], dir, env);
    expect(out.code, out.stderr).toBe(0);
    return out.stdout;
  };
  const json = async <T>(...args: string[]) => JSON.parse(await ok(...args, '--json')) as T;
  const commit = (message: string) => {
    git(dir, 'add', '.gitignore', 'data/prices.csv.mlops');
    git(dir, 'commit', '-q', '-m', message);
    return git(dir, 'rev-parse', 'HEAD').trim();
  };

  it('versions the prices without their last rows, pushing the commit to S3', async () => {
    // Keep each line's own ending (the GOOG file has CRLF ones).
    const lines = full.toString('utf8').split(/(?<=\n)/);
    expect(lines.length).toBeGreaterThan(HELD_BACK + 100);
    const head = Buffer.from(lines.slice(0, -HELD_BACK).join(''));
    await writeFile(csv(), head);
    git(dir, 'init', '-q');
    const [added] = await json<{ sha256: string; changed: boolean }[]>(
      'data',
      'add',
      'data/prices.csv',
    );
    expect(added).toMatchObject({ sha256: sha256(head), changed: true });
    first = { commit: commit('prices without the last rows'), sha256: sha256(head) };

    await ok(
      'data',
      'remote',
      'add',
      'origin',
      `s3://${s3.bucket}/roundtrip`,
      '--endpoint',
      s3.endpoint,
      '--region',
      s3.region,
      '--default',
    );
    const pushed = await json<{ blobs: number }>('data', 'push');
    expect(pushed.blobs).toBeGreaterThan(1);
  });

  it('appends the held-back rows with data import over HTTP, which versions them', async () => {
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/prices.csv`;
    const imported = await json<{ rowsAdded: number; sha256: string; versioned: boolean }>(
      'data',
      'import',
      url,
      '--into',
      'data/prices.csv',
      '--merge-key',
      'Date',
    );
    expect(imported).toMatchObject({ rowsAdded: HELD_BACK, versioned: true });
    // Merging keeps the file's format, so the result is the whole source, byte for byte.
    expect(imported.sha256).toBe(sha256(full));
    expect(await sha256File(csv())).toBe(sha256(full));
    // The import wrote the new pointer already: adding again changes nothing.
    const [again] = await json<{ changed: boolean }[]>('data', 'add', 'data/prices.csv');
    expect(again).toMatchObject({ changed: false });
    second = { commit: commit('prices with the last rows'), sha256: sha256(full) };
    expect(second.commit).not.toBe(first.commit);

    const pushed = await json<{ blobs: number; skipped: number }>('data', 'push');
    expect(pushed.blobs).toBeGreaterThan(0);
    expect(pushed.skipped).toBeGreaterThan(0); // the first rows' chunks are on the remote already
    expect(await json('data', 'status', '--remote')).toMatchObject([
      { path: 'data/prices.csv', status: 'ok', remote: 'in-remote' },
    ]);
  });

  it('pulls the latest version into an empty cache and workspace', async () => {
    await rm(join(dir, '.mlops'), { recursive: true, force: true });
    await rm(csv());
    const pulled = await json<{ blobs: number; checkout: unknown[] }>('data', 'pull');
    expect(pulled.blobs).toBeGreaterThan(0);
    expect(pulled.checkout).toMatchObject([{ path: 'data/prices.csv', action: 'restored' }]);
    expect(await sha256File(csv())).toBe(second.sha256);
  });

  it('checks out the first commit byte for byte once its version is fetched by revision', async () => {
    // The plain pull brought the workspace's version only: the first one is not in the cache.
    const missing = await runNode([CLI, 'data', 'checkout', '--rev', first.commit], dir, env);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('data fetch --rev');
    const fetched = await json<{ paths: { rev?: string }[] }>(
      'data',
      'fetch',
      '--rev',
      first.commit,
    );
    expect(fetched.paths.map((p) => p.rev)).toEqual([undefined, first.commit]);
    const back = await json<{ action: string; sha256: string }[]>(
      'data',
      'checkout',
      '--rev',
      first.commit,
    );
    expect(back).toMatchObject([{ path: 'data/prices.csv', sha256: first.sha256 }]);
    expect(await sha256File(csv())).toBe(first.sha256);
  });

  it('checks out HEAD again: the second version', async () => {
    await ok('data', 'checkout', '--rev', 'HEAD');
    expect(await sha256File(csv())).toBe(second.sha256);
    expect(await json('data', 'status')).toMatchObject([{ status: 'ok', sha256: second.sha256 }]);
  });
});
