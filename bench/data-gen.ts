// Deterministic inputs for `npm run bench -- data`: incompressible bytes, a minute-level OHLCV
// CSV that grows by trading days, and a tree of small files.
import { createCipheriv, createHash } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Seeded PRNG (mulberry32), uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `bytes` pseudo-random bytes (AES-256-CTR keystream keyed by `seed`) written to `path`. */
export async function writeRandomFile(path: string, bytes: number, seed: string): Promise<void> {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(8 * 1024 * 1024);
  const handle = await open(path, 'w');
  try {
    for (let left = bytes; left > 0; left -= zeros.byteLength) {
      const piece = cipher.update(zeros.subarray(0, Math.min(left, zeros.byteLength)));
      await handle.write(piece);
    }
  } finally {
    await handle.close();
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Minute bars (09:30-15:59, 390 rows a day) of one random-walk price series, one weekday after
 * another from 2000-01-03. `nextDay()` returns the next day's rows as CSV text.
 */
export class OhlcvGenerator {
  static readonly HEADER = 'Datetime,Open,High,Low,Close,Volume\n';
  readonly #rand: () => number;
  #day = new Date(Date.UTC(2000, 0, 3));
  #price = 100;

  constructor(seed = 42) {
    this.#rand = mulberry32(seed);
  }

  nextDay(): string {
    const d = this.#day;
    const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
    const rows: string[] = [];
    for (let m = 0; m < 390; m++) {
      const minute = 9 * 60 + 30 + m;
      const open = this.#price;
      const close = Math.max(1, open * (1 + (this.#rand() - 0.5) * 0.002));
      const high = Math.max(open, close) * (1 + this.#rand() * 0.0005);
      const low = Math.min(open, close) * (1 - this.#rand() * 0.0005);
      const volume = Math.floor(1000 + this.#rand() * 50_000);
      rows.push(
        `${date} ${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${volume}\n`,
      );
      this.#price = close;
    }
    do d.setUTCDate(d.getUTCDate() + 1);
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
    return rows.join('');
  }
}

/**
 * `count` files of `size` bytes (distinct contents) under `dir`, 100 per leaf directory in a
 * two-level tree (`d017/e03/f0001703.txt`).
 */
export async function writeSmallFiles(dir: string, count: number, size = 100): Promise<void> {
  const rand = mulberry32(7);
  const perLeaf = 100;
  const jobs: Promise<void>[] = [];
  for (let leaf = 0; leaf * perLeaf < count; leaf++) {
    const leafDir = join(
      dir,
      `d${String(Math.floor(leaf / 10)).padStart(3, '0')}`,
      `e${leaf % 10}`,
    );
    await mkdir(leafDir, { recursive: true });
    for (let i = leaf * perLeaf; i < Math.min(count, (leaf + 1) * perLeaf); i++) {
      let text = `file ${i} `;
      while (text.length < size - 1) text += String.fromCharCode(97 + Math.floor(rand() * 26));
      jobs.push(writeFile(join(leafDir, `f${String(i).padStart(7, '0')}.txt`), `${text}\n`));
    }
    if (jobs.length >= 2000) await Promise.all(jobs.splice(0));
  }
  await Promise.all(jobs);
}
