import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../blobs/index.js';
import { expectCode } from '../../testing/index.js';
import type { DataContext } from '../data-context.js';
import { importData, type DataContract } from './import-data.js';
import { readSource, redactUrl } from './read-source.js';

const HEADER = 'Date,Close\n';
const V1 = HEADER + '2023-01-03,89.70\n2023-01-04,88.71\n';
const NEW_ROWS = HEADER + '2023-01-04,88.71\n2023-01-05,86.77\n';

describe('importData', () => {
  let base: string;
  let root: string;
  let ctx: DataContext;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'mlops-data-import-'));
    root = join(base, 'ws');
    await mkdir(root, { recursive: true });
    ctx = {
      root,
      stateDir: join(root, '.mlops'),
      blobs: new LocalBlobStore(join(root, '.mlops', 'blobs')),
    };
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  const file = (name: string, text: string) => writeFile(join(root, name), text);
  const target = () => readFile(join(root, 'data', 'prices.csv'), 'utf8');
  const pointer = () => readFile(join(root, 'data', 'prices.csv.mlops'), 'utf8');
  const blobCount = async () => {
    let n = 0;
    for await (const _ of ctx.blobs.list()) n++;
    return n;
  };
  /** Everything under data/, including temp files a failed import might leave. */
  const dataDir = () => readdir(join(root, 'data')).then((names) => names.sort());

  it('creates the target, versions it, then appends only the new rows', async () => {
    await file('v1.csv', V1);
    const first = await importData(ctx, { source: 'v1.csv', into: 'data/prices.csv' });
    expect(first).toMatchObject({ path: 'data/prices.csv', rowsAdded: 2, written: true });
    expect(first.previousSha256).toBeUndefined();
    expect(await target()).toBe(V1);
    expect(await pointer()).toContain(`sha256: ${first.sha256}`);

    await file('new.csv', NEW_ROWS);
    const second = await importData(ctx, { source: 'new.csv', into: 'data/prices.csv' });
    expect(second).toMatchObject({
      rowsAdded: 1,
      duplicates: 1,
      rowsTotal: 3,
      previousSha256: first.sha256,
      versioned: true,
    });
    expect(await target()).toBe(V1 + '2023-01-05,86.77\n');

    const again = await importData(ctx, { source: 'new.csv', into: 'data/prices.csv' });
    expect(again).toMatchObject({ rowsAdded: 0, written: false, versioned: false });
    expect(again.sha256).toBe(second.sha256);
  });

  it("keeps the target's permission bits", async () => {
    await file('v1.csv', V1);
    await importData(ctx, { source: 'v1.csv', into: 'data/prices.csv' });
    await chmod(join(root, 'data', 'prices.csv'), 0o600);
    await file('new.csv', NEW_ROWS);
    await importData(ctx, { source: 'new.csv', into: 'data/prices.csv' });
    expect((await stat(join(root, 'data', 'prices.csv'))).mode & 0o777).toBe(0o600);
  });

  it('refuses conflicting values and changes nothing', async () => {
    await file('v1.csv', V1);
    await importData(ctx, { source: 'v1.csv', into: 'data/prices.csv' });
    const [bytes, ptr, blobs] = [await target(), await pointer(), await blobCount()];
    await file('bad.csv', HEADER + '2023-01-04,90.00\n2023-01-05,86.77\n');
    const err = await expectCode(
      importData(ctx, { source: 'bad.csv', into: 'data/prices.csv' }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toContain('Date 2023-01-04, Close: 88.71 -> 90.00');
    expect(err.details).toMatchObject({ count: 1 });
    expect([await target(), await pointer(), await blobCount()]).toEqual([bytes, ptr, blobs]);
    expect(await dataDir()).toEqual(['prices.csv', 'prices.csv.mlops']);

    const preferred = await importData(ctx, {
      source: 'bad.csv',
      into: 'data/prices.csv',
      prefer: 'new',
    });
    expect(preferred).toMatchObject({ rowsUpdated: 1, rowsAdded: 1, conflictCount: 1 });
    expect(await target()).toBe(HEADER + '2023-01-03,89.70\n2023-01-04,90.00\n2023-01-05,86.77\n');
  });

  it('refuses a result the contract fails, leaving no file, temp file or directory behind', async () => {
    const seen: string[] = [];
    const contract: DataContract = async (path, { into }) => {
      seen.push(await readFile(path, 'utf8'));
      const ok = !(await readFile(path, 'utf8')).includes('-1');
      return {
        ok,
        summary: `contract on ${into}: ${ok ? 'ok' : 'negative close'}`,
        report: { ok },
      };
    };
    await file('bad.csv', HEADER + '2023-01-03,-1\n');
    const err = await expectCode(
      importData(ctx, { source: 'bad.csv', into: 'data/prices.csv', contract }),
      'DATA_CONTRACT_FAILED',
    );
    expect(err.message).toContain('contract on data/prices.csv: negative close');
    expect(err.details).toMatchObject({ report: { ok: false } });
    expect(seen).toEqual([HEADER + '2023-01-03,-1\n']);
    await expect(readdir(join(root, 'data'))).rejects.toThrow(/ENOENT/);

    await file('v1.csv', V1);
    const ok = await importData(ctx, { source: 'v1.csv', into: 'data/prices.csv', contract });
    expect(ok.contract).toMatchObject({ ok: true });
    const before = [await target(), await pointer()];
    await file('bad.csv', HEADER + '2023-01-05,-1\n');
    await expectCode(
      importData(ctx, { source: 'bad.csv', into: 'data/prices.csv', contract }),
      'DATA_CONTRACT_FAILED',
    );
    expect([await target(), await pointer()]).toEqual(before);
    expect(await dataDir()).toEqual(['prices.csv', 'prices.csv.mlops']);
  });

  it('refuses a target outside the workspace and a missing source', async () => {
    await file('v1.csv', V1);
    await expectCode(
      importData(ctx, { source: 'v1.csv', into: '../outside.csv' }),
      'INVALID_PARAMETER_VALUE',
    );
    const err = await expectCode(
      importData(ctx, { source: 'nope.csv', into: 'data/prices.csv' }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(err.message).toContain('nope.csv');
  });
});

describe('readSource over http', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return; // never answers
      if (req.url === '/prices.csv') {
        res.end(V1);
      } else {
        res.statusCode = req.url === '/boom' ? 500 : 404;
        res.end('no');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches the bytes', async () => {
    const source = await readSource(`${url}/prices.csv`, { cwd: '/' });
    expect(source).toMatchObject({ kind: 'url', name: `${url}/prices.csv` });
    expect(source.bytes.toString()).toBe(V1);
  });

  it('names the URL and the status of a failed answer', async () => {
    const missing = await expectCode(
      readSource(`${url}/gone.csv`, { cwd: '/' }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(missing.message).toBe(
      `Cannot fetch ${url}/gone.csv: the server answered HTTP 404 Not Found.`,
    );
    const broken = await expectCode(readSource(`${url}/boom`, { cwd: '/' }), 'IO_ERROR');
    expect(broken.message).toContain('HTTP 500');
  });

  it('times out, and reports an unreachable server', async () => {
    const slow = await expectCode(
      readSource(`${url}/slow`, { cwd: '/', timeoutMs: 200 }),
      'IO_ERROR',
    );
    expect(slow.message).toContain('no complete answer within 0.2 s');
    const closedPort = await freePort();
    const closed = await expectCode(
      readSource(`http://127.0.0.1:${closedPort}/prices.csv`, { cwd: '/' }),
      'IO_ERROR',
    );
    expect(closed.message).toMatch(
      new RegExp(`^Cannot fetch http://127\\.0\\.0\\.1:${closedPort}/prices\\.csv: .*ECONNREFUSED`),
    );
  });

  it('refuses other schemes and redacts secrets from URLs', async () => {
    await expectCode(readSource('s3://bucket/prices.csv', { cwd: '/' }), 'UNSUPPORTED_URI');
    expect(redactUrl('https://me:pw@example.com/p.csv?apikey=abc&symbol=GOOG')).toBe(
      'https://***:***@example.com/p.csv?apikey=***&symbol=GOOG',
    );
  });
});

/** A port nothing listens on: bound, then closed again. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
