import { describe, expect, it } from 'vitest';
import { badInputs, priceWindowContract } from './window-contract.js';

/** `n` weekdays from 2024-01-01 (a Monday) with closes from `close`. */
function points(n: number, close: (i: number) => number) {
  const out: { close: number; date: string }[] = [];
  const day = new Date(Date.UTC(2024, 0, 1));
  for (let i = 0; i < n; i++) {
    while (day.getUTCDay() % 6 === 0) day.setUTCDate(day.getUTCDate() + 1);
    out.push({ close: close(i), date: day.toISOString().slice(0, 10) });
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}

describe('priceWindowContract', () => {
  it('finds nothing wrong with a calm window, and nothing at all in an empty one', async () => {
    const calm = points(30, (i) => 100 + Math.sin(i));
    expect(await priceWindowContract(calm, { source: 'log' })).toEqual([]);
    expect(await priceWindowContract([], { source: 'log' })).toEqual([]);
  });

  it('flags an impossible jump as a return outlier, and a NaN or non-positive close as an error', async () => {
    const window = points(30, (i) => (i === 20 ? 400 : 100 + Math.sin(i)));
    window[5] = { ...window[5]!, close: Number.NaN };
    window[8] = { ...window[8]!, close: -1 };
    const found = await priceWindowContract(window, { source: 'log' });
    expect(found).toContainEqual(
      expect.objectContaining({
        rule: 'return-outliers',
        severity: 'warning',
        where: window[20]?.date,
      }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ rule: 'values-parse', severity: 'error', where: window[5]?.date }),
    );
    expect(found.filter((v) => v.rule === 'positive-values')).toEqual([
      expect.objectContaining({ severity: 'error', where: window[8]?.date }),
    ]);
  });

  it('skips the date rules when points have no dates, naming them by label', async () => {
    const undated = [5, 4, 0, 6].map((close, i) => ({ close, label: `prediction p${i}` }));
    const found = await priceWindowContract(undated, { source: 'log' });
    expect(found).toEqual([
      expect.objectContaining({
        rule: 'positive-values',
        where: 'prediction p2',
        message: 'prediction p2: close is 0, expected a price > 0',
      }),
    ]);
  });
});

describe('badInputs', () => {
  it('names each prediction whose inputs hold a close no price can be', () => {
    const found = badInputs([
      { predictionId: 'a', inputs: [1, 2, 3] },
      { predictionId: 'b', inputs: [1, 0, 3] },
      { predictionId: 'c', inputs: [1, Number.POSITIVE_INFINITY] },
    ]);
    expect(found.map((v) => v.where)).toEqual(['prediction b', 'prediction c']);
    expect(found[0]?.message).toBe('prediction b: input close 2 of 3 is 0, expected a price > 0');
  });
});
