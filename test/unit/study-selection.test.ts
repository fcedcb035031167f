import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { partRange, protocolSplit, syntheticCloses } from '../../src/forecast/index.js';
import type { Candidate } from '../../study/candidates.js';
import { chooseCandidate } from '../../study/choose.js';
import { scoreCandidate, type ValidationScore } from '../../study/score-candidate.js';
import {
  loadSelectionData,
  protocolTestStart,
  selectionSeries,
  selectionSplit,
} from '../../study/selection-series.js';

/** Every number as its float64 bits, so "equal" means bit-identical (NaN and -0 included). */
function bits(score: ValidationScore): Record<string, unknown> {
  const hex = (x: number) => Buffer.from(Float64Array.of(x).buffer).toString('hex');
  return Object.fromEntries(
    Object.entries(score).map(([k, v]) => [
      k,
      typeof v === 'number' ? hex(v) : Array.isArray(v) ? v.map(hex) : v,
    ]),
  );
}

/** The same series with every test row (>= floor(0.8 n)) replaced by `value(t, close)`. */
function poisonTestRows(closes: Float64Array, value: (close: number) => number): Float64Array {
  const out = Float64Array.from(closes);
  for (let t = protocolTestStart(closes.length); t < out.length; t++) out[t] = value(out[t]!);
  return out;
}

const linear: Candidate = {
  kind: 'linear',
  name: 'linear w10 a1',
  params: { target: 'log_return', window: 10, alpha: 1 },
  complexity: 1,
};
/** Cheap: one epoch of a 2-unit LSTM. */
const tinyLstm: Candidate = {
  kind: 'lstm',
  name: 'lstm w10 u2 l1',
  params: { target: 'log_return', window: 10, units: 2, layers: 1, epochs: 1, batchSize: 32 },
  complexity: 1,
};

describe('selectionSeries and selectionSplit', () => {
  it.each([1258, 1000, 251, 5])('keeps exactly the rows before testStart (%i rows)', (rows) => {
    const closes = syntheticCloses(rows, 3);
    const visible = selectionSeries(closes);
    const testStart = protocolSplit(rows, 1).testStart;
    expect(visible.length).toBe(testStart);
    expect(Array.from(visible)).toEqual(Array.from(closes.subarray(0, testStart)));
    // A copy, not a view: not even the buffer behind it holds a test row.
    expect(visible.buffer.byteLength).toBe(testStart * Float64Array.BYTES_PER_ELEMENT);
    expect(visible.buffer).not.toBe(closes.buffer);
  });

  it('is the protocol split on the visible rows, with an empty test part', () => {
    for (const window of [10, 20, 30, 60]) {
      const full = protocolSplit(1258, window);
      const split = selectionSplit(full.testStart, window);
      expect(split).toEqual({ ...full, rows: full.testStart });
      const [from, to] = partRange(split, 'test', window);
      expect(to - from).toBeLessThanOrEqual(0);
      expect(partRange(split, 'validation', window)[1]).toBe(full.testStart);
    }
  });
});

describe('the selection study cannot reach the test rows', () => {
  const closes = syntheticCloses(400, 7);
  const variants = {
    NaN: poisonTestRows(closes, () => Number.NaN),
    x1000: poisonTestRows(closes, (c) => c * 1000),
    negative: poisonTestRows(closes, (c) => -c),
  };

  it.each(Object.entries(variants))(
    'scores a linear candidate bit-identically when the test rows are %s',
    async (_name, poisoned) => {
      const original = await scoreCandidate(selectionSeries(closes), linear);
      const changed = await scoreCandidate(selectionSeries(poisoned), linear);
      expect(Number.isFinite(original.skill)).toBe(true);
      expect(bits(changed)).toEqual(bits(original));
    },
  );

  it('scores an LSTM candidate (1 epoch, 2 units) bit-identically with NaN or x1000 test rows', async () => {
    const small = syntheticCloses(200, 5);
    const score = async (c: Float64Array) =>
      bits(await scoreCandidate(selectionSeries(c), tinyLstm, { seed: 3 }));
    const original = await score(small);
    expect(await score(poisonTestRows(small, () => Number.NaN))).toEqual(original);
    expect(await score(poisonTestRows(small, (c) => c * 1000))).toEqual(original);
  });

  describe('from the CSV file on', () => {
    let dir: string | undefined;
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function csvOf(name: string, series: Float64Array): Promise<string> {
      dir ??= await mkdtemp(path.join(tmpdir(), 'mlops-study-'));
      const day = (t: number) => new Date(Date.UTC(2020, 0, 1) + t * 86_400_000);
      const lines = Array.from(series, (c, t) => {
        const date = day(t).toISOString().slice(0, 10);
        return `${date},${c},${c},${c},${c},${c},1000`;
      });
      const file = path.join(dir, name);
      await writeFile(file, ['Date,Open,High,Low,Close,Adj Close,Volume', ...lines].join('\n'));
      return file;
    }

    it('loads only the visible rows and scores identically when the test rows are x1000', async () => {
      const original = await loadSelectionData(await csvOf('original.csv', closes));
      const poisoned = await loadSelectionData(await csvOf('poisoned.csv', variants['x1000']));
      expect(original.fileRows).toBe(400);
      expect(original.testStart).toBe(320);
      expect(original.closes.length).toBe(320);
      expect(original.dates).toHaveLength(320);
      expect(poisoned.sha256).not.toBe(original.sha256); // the files do differ...
      expect(Array.from(poisoned.closes)).toEqual(Array.from(original.closes)); // ...not what is seen
      expect(bits(await scoreCandidate(poisoned.closes, linear))).toEqual(
        bits(await scoreCandidate(original.closes, linear)),
      );
    });
  });
});

describe('chooseCandidate', () => {
  const c = (name: string, complexity: number, reference = false): Candidate => ({
    kind: 'linear',
    name,
    params: { window: 10 },
    complexity,
    ...(reference ? { reference } : {}),
  });

  it('takes the best skill, the simplest among near-ties, and never a reference', () => {
    const scored = [
      { candidate: c('big', 10), skill: -0.002 },
      { candidate: c('small', 1), skill: -0.0028 },
      { candidate: c('tiny', 0), skill: -0.0031 },
      { candidate: c('reference', 0, true), skill: 0.5 },
    ];
    const { chosen, best } = chooseCandidate(scored);
    expect(best.candidate.name).toBe('big');
    expect(chosen.candidate.name).toBe('small');
  });
});
