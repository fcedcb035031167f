import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlops, tempWorkspace, type Result } from './cli-harness.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';

/** `n` weekdays of plausible daily OHLCV rows from 2023-01-03, a seeded random walk. */
function dailyBars(n: number): string[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const rows: string[] = [];
  const day = new Date(Date.UTC(2023, 0, 3));
  let close = 89.7;
  while (rows.length < n) {
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      const open = close * (1 + (random() - 0.5) * 0.01);
      close = close * Math.exp((random() - 0.5) * 0.04);
      const high = Math.max(open, close) * (1 + random() * 0.01) + 0.01;
      const low = Math.min(open, close) * (1 - random() * 0.01) - 0.01;
      const volume = Math.round(18e6 + random() * 15e6);
      const cells = [open, high, low, close, close].map((v) => v.toFixed(2));
      rows.push([day.toISOString().slice(0, 10), ...cells, volume].join(','));
    }
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return rows;
}

const BARS = dailyBars(110);
const csv = (rows: readonly string[]) => [HEADER, ...rows].join('\n') + '\n';
/** The first 100 days; the next file repeats the last 10 of them and adds 5 more. */
const V1 = csv(BARS.slice(0, 100));
const V2 = csv(BARS.slice(90, 105));

/** `row` with its Close replaced by `close` (Adj Close too). */
function withClose(row: string, close: string): string {
  const cells = row.split(',');
  cells[4] = close;
  cells[5] = close;
  return cells.join(',');
}

/** A value between the row's Low and High that differs from its Close: its Low. */
const lowOf = (row: string | undefined) => (row ?? '').split(',')[3] ?? '';

interface ImportJson {
  ok: boolean;
  path: string;
  rowsAdded: number;
  rowsTotal: number;
  duplicates: number;
  sha256: string;
  previousSha256?: string;
  versioned: boolean;
  written: boolean;
  runId: string;
}

interface LineageJson {
  edges: {
    src: { type: string; id: string };
    dst: { type: string; id: string };
    relation: string;
  }[];
}

describe('mlops data import (built CLI, files served over HTTP)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: Server;
  let base: string;
  const served = new Map<string, string>();

  beforeAll(async () => {
    ({ dir, cleanup } = await tempWorkspace());
    served.set('/v1.csv', V1);
    served.set('/v2.csv', V2);
    server = createServer((req, res) => {
      const body = served.get(req.url ?? '');
      res.statusCode = body === undefined ? 404 : 200;
      res.setHeader('content-type', 'text/csv');
      res.end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await cleanup();
  });

  const target = () => join(dir, 'data', 'prices.csv');
  const state = async () => ({
    csv: await readFile(target(), 'utf8'),
    pointer: await readFile(`${target()}.mlops`, 'utf8'),
    files: (await readdir(join(dir, 'data'))).sort(),
    runs: await ingestionRuns(),
  });
  const ok = (out: Result) => {
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as ImportJson;
  };
  const ingestionRuns = async () => {
    const out = await mlops(dir, 'runs', 'list', '-e', 'ingestion', '--json');
    expect(out.code, out.stderr).toBe(0);
    return (JSON.parse(out.stdout) as { runs: unknown[] }).runs.length;
  };
  const importUrl = (path: string, ...args: string[]) =>
    mlops(dir, 'data', 'import', `${base}${path}`, '--into', 'data/prices.csv', ...args);

  let v1: ImportJson;
  let v2: ImportJson;

  it('creates data/prices.csv from a URL and versions it', async () => {
    v1 = ok(await importUrl('/v1.csv', '--json'));
    expect(v1).toMatchObject({ ok: true, path: 'data/prices.csv', rowsAdded: 100, rowsTotal: 100 });
    expect(v1.previousSha256).toBeUndefined();
    expect(await readFile(target(), 'utf8')).toBe(V1);
    expect(await readFile(`${target()}.mlops`, 'utf8')).toContain(`sha256: ${v1.sha256}`);
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toContain('/data/prices.csv');
  });

  it('appends 5 new rows, drops the 10 repeated ones, and records the run with lineage', async () => {
    v2 = ok(await importUrl('/v2.csv', '--json'));
    expect(v2).toMatchObject({
      rowsAdded: 5,
      duplicates: 10,
      rowsTotal: 105,
      previousSha256: v1.sha256,
      versioned: true,
    });
    expect(await readFile(target(), 'utf8')).toBe(csv(BARS.slice(0, 105)));
    expect(await readFile(`${target()}.mlops`, 'utf8')).toContain(`sha256: ${v2.sha256}`);

    const show = await mlops(dir, 'runs', 'show', v2.runId, '--json');
    expect(show.code, show.stderr).toBe(0);
    const { run } = JSON.parse(show.stdout) as {
      run: {
        info: { status: string };
        data: {
          params: Record<string, string>;
          metrics: { key: string; value: number }[];
          tags: Record<string, string>;
        };
      };
    };
    expect(run.info.status).toBe('FINISHED');
    expect(run.data.params).toMatchObject({
      source: `${base}/v2.csv`,
      into: 'data/prices.csv',
      merge_key: 'Date',
    });
    const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics).toMatchObject({ rows_added: 5, rows_total: 105, conflicts: 0 });
    expect(run.data.tags).toMatchObject({ sha256_old: v1.sha256, sha256_new: v2.sha256 });

    const lineage = await mlops(dir, 'lineage', `runs:/${v2.runId}`, '--depth', '1', '--json');
    expect(lineage.code, lineage.stderr).toBe(0);
    const { edges } = JSON.parse(lineage.stdout) as LineageJson;
    const simple = edges.map(
      (e) => `${e.src.type}:${e.src.id} -${e.relation}-> ${e.dst.type}:${e.dst.id}`,
    );
    expect(simple.sort()).toEqual(
      [
        `dataset:data/prices.csv@${v1.sha256} -input-> run:${v2.runId}`,
        `run:${v2.runId} -output-> dataset:data/prices.csv@${v2.sha256}`,
      ].sort(),
    );
  });

  it('an identical re-import adds nothing and makes no new version', async () => {
    const before = await readFile(target(), 'utf8');
    const again = ok(await importUrl('/v2.csv', '--json'));
    expect(again).toMatchObject({ rowsAdded: 0, written: false, versioned: false });
    expect(again.sha256).toBe(v2.sha256);
    expect(await readFile(target(), 'utf8')).toBe(before);
    const text = await importUrl('/v2.csv');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('0 rows added');
    expect(text.stdout).toContain('Data contract OK: data/prices.csv');
  });

  it('refuses conflicting values with a report and leaves everything as it was', async () => {
    const before = await state();
    const changed = [
      withClose(BARS[101] ?? '', lowOf(BARS[101])),
      withClose(BARS[102] ?? '', lowOf(BARS[102])),
      ...BARS.slice(105, 107),
    ];
    served.set('/conflict.csv', csv(changed));
    const out = await importUrl('/conflict.csv');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('INVALID_PARAMETER_VALUE');
    expect(out.stderr).toContain(
      '4 values differ from the existing rows (2 rows with the same Date)',
    );
    const [date, , , , close] = (BARS[101] ?? '').split(',');
    expect(out.stderr).toContain(`Date ${date}, Close: ${close} -> ${lowOf(BARS[101])}`);
    expect(out.stderr).toContain('--prefer new');
    const json = await importUrl('/conflict.csv', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error_code: 'INVALID_PARAMETER_VALUE',
      details: { count: 4 },
    });
    expect(await state()).toEqual(before);
  });

  it('refuses a file that breaks the data contract with exit 7 and changes nothing', async () => {
    const before = await state();
    const cells = (BARS[105] ?? '').split(',');
    const high = Number(cells[2]);
    const broken = withClose(BARS[105] ?? '', (high + 5).toFixed(2));
    served.set('/broken.csv', csv([broken, ...BARS.slice(106, 108)]));
    const out = await importUrl('/broken.csv');
    expect(out.code).toBe(7);
    expect(out.stderr).toContain('DATA_CONTRACT_FAILED');
    expect(out.stderr).toContain('Data contract FAILED: data/prices.csv');
    expect(out.stderr).toContain('ohlc-consistent');
    expect(out.stderr).not.toMatch(/\.tmp/);
    expect(await state()).toEqual(before);
  });

  it('names the URL and the cause when the source cannot be fetched', async () => {
    const before = await state();
    const missing = await importUrl('/nope.csv');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`Cannot fetch ${base}/nope.csv: the server answered HTTP 404`);

    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${port}/prices.csv`;
    const down = await mlops(dir, 'data', 'import', url, '--into', 'data/prices.csv');
    expect(down.code).toBe(6);
    expect(down.stderr).toContain(`error [IO_ERROR]: Cannot fetch ${url}: `);
    expect(down.stderr).toContain('ECONNREFUSED');
    expect(await state()).toEqual(before);
  });

  it('takes the incoming values with --prefer new', async () => {
    const out = ok(await importUrl('/conflict.csv', '--prefer', 'new', '--json'));
    expect(out).toMatchObject({ rowsAdded: 2, rowsUpdated: 2, rowsTotal: 107, conflictCount: 4 });
    const lines = (await readFile(target(), 'utf8')).trimEnd().split('\n');
    expect(lines[102]).toBe(withClose(BARS[101] ?? '', lowOf(BARS[101])));
    expect(lines.at(-1)).toBe(BARS[106]);
  });
});
