import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, openRegistry, type ModelsContext } from '../../src/app/index.js';
import type { TrackingClient } from '../../src/tracking/index.js';

/** A Yahoo-style CSV of `closes` on business days from 2015-01-05 (OHLC around the close). */
export function priceCsv(closes: Float64Array, start = '2015-01-05'): string {
  const lines = ['Date,Open,High,Low,Close,Volume'];
  const day = new Date(`${start}T00:00:00Z`);
  let previous = closes[0] ?? 100;
  for (const close of closes) {
    const open = previous;
    const high = Math.max(open, close) * 1.002;
    const low = Math.min(open, close) * 0.998;
    const date = day.toISOString().slice(0, 10);
    lines.push(
      `${date},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${close.toFixed(4)},1000000`,
    );
    previous = close;
    do day.setUTCDate(day.getUTCDate() + 1);
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  }
  return `${lines.join('\n')}\n`;
}

/** A workspace with prices, a SQLite store and the registry beside it. */
export interface ServeWorld {
  readonly dir: string;
  readonly data: string;
  readonly trackingUri: string;
  readonly client: TrackingClient;
  readonly ctx: ModelsContext;
  close(): Promise<void>;
}

export async function serveWorld(csv: string): Promise<ServeWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-serve-'));
  await mkdir(join(dir, '.mlops'), { recursive: true });
  await mkdir(join(dir, 'data'));
  const data = join(dir, 'data', 'prices.csv');
  await writeFile(data, csv);
  const trackingUri = `sqlite:${join(dir, '.mlops', 'mlops.db')}`;
  const client = await connect(trackingUri, { cwd: dir });
  const registry = await openRegistry(client);
  return {
    dir,
    data,
    trackingUri,
    client,
    ctx: { client, registry, cwd: dir },
    close: async () => {
      await client.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON and returns status, body and the header naming the version that answered. */
export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown>; version: string | null }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    version: res.headers.get('x-mlops-model-version'),
  };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
