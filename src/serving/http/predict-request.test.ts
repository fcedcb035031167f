import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { parsePredictRequest } from './predict-request.js';

const limits = { window: 3, maxHorizon: 5 };
const fieldOf = (body: unknown): string => {
  try {
    parsePredictRequest(body, limits);
  } catch (err) {
    if (MlopsError.is(err)) return String(err.details?.['field']);
    throw err;
  }
  throw new Error('expected a 400');
};

describe('parsePredictRequest', () => {
  it('keeps the last window of prices', () => {
    const req = parsePredictRequest({ prices: [1, 2, 3, 4] }, limits);
    expect(Array.from(req.window)).toEqual([2, 3, 4]);
    expect(req.horizon).toBe(1);
    expect(req.lastDate).toBeUndefined();
  });

  it('keeps the last window of a series and its last date', () => {
    const series = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'].map((date, i) => ({
      date,
      close: i + 1,
      volume: 5, // extra columns of a price row are ignored
    }));
    const req = parsePredictRequest({ series, horizon: 5 }, limits);
    expect(Array.from(req.window)).toEqual([2, 3, 4]);
    expect(req.lastDate).toBe('2024-01-04');
    expect(req.horizon).toBe(5);
  });

  it('checks every entry, not only the window', () => {
    expect(fieldOf({ prices: [-1, 2, 3, 4] })).toBe('prices[0]');
  });

  it('names the field of each kind of bad input', () => {
    expect(fieldOf(null)).toBe('');
    expect(fieldOf({ prices: [1, 2] })).toBe('prices');
    expect(fieldOf({ prices: [1, Infinity, 3] })).toBe('prices[1]');
    expect(fieldOf({ prices: [1, 2, 3], horizon: 6 })).toBe('horizon');
    expect(fieldOf({ prices: [1, 2, 3], horizon: '2' })).toBe('horizon');
    expect(
      fieldOf({
        series: [
          { date: '2024-01-01', close: 1 },
          { date: '2024-01-01', close: 1 },
          { date: '2024-01-02', close: 1 },
        ],
      }),
    ).toBe('series[1].date');
    expect(fieldOf({ series: [{ date: 20240101, close: 1 }, {}, {}] })).toBe('series[0].date');
    expect(fieldOf({ price: [1, 2, 3] })).toBe('price');
  });
});
