import { describe, expect, it } from 'vitest';
import type { ModelPackageManifest } from '../../registry/index.js';
import { comparisonRows, comparisonWindows, trainedThrough } from './comparison-rows.js';

const range = (first: string, last: string) => ({
  start: 0,
  end: 1,
  first_date: first,
  last_date: last,
});

/** The fields the comparison reads; the rest of a manifest does not matter here. */
function manifest(
  kind: ModelPackageManifest['model_kind'],
  window: number,
  validationEnd?: string,
): ModelPackageManifest {
  return {
    model_kind: kind,
    signature: { inputs: [], outputs: [], window },
    ...(validationEnd === undefined
      ? {}
      : {
          row_ranges: {
            train: range('2020-01-01', '2020-01-05'),
            validation: range('2020-01-06', validationEnd),
            test: range('2020-01-20', '2020-01-31'),
          },
        }),
  } as unknown as ModelPackageManifest;
}

const dates = Array.from({ length: 20 }, (_, i) => `2020-02-${String(i + 1).padStart(2, '0')}`);
const closes = Float64Array.from(dates, (_, i) => 100 + i + 0.1);

describe('comparison rows', () => {
  it('start after the latest validation end of the fitted models; persistence sets no bound', () => {
    expect(trainedThrough(manifest('linear', 3, '2020-02-05'))).toBe('2020-02-05');
    expect(trainedThrough(manifest('persistence', 3, '2020-02-15'))).toBeUndefined();
    expect(trainedThrough(manifest('external', 3))).toBeUndefined();
    const rows = comparisonRows(dates, closes, [
      manifest('linear', 3, '2020-02-05'),
      manifest('lstm', 4, '2020-02-10'),
      manifest('persistence', 2, '2020-02-15'),
    ]);
    expect(rows).toMatchObject({ after: '2020-02-10', first: 10, count: 10 });
    expect(rows.dates[rows.first]).toBe('2020-02-11');
  });

  it('leave room for the largest window, and are empty when no row is new', () => {
    expect(comparisonRows(dates, closes, [manifest('external', 6)])).toMatchObject({
      first: 6,
      count: 14,
    });
    expect(comparisonRows(dates, closes, [manifest('linear', 3, '2020-03-01')]).count).toBe(0);
  });

  it('give each target its window of true closes and the float32 last close', () => {
    const rows = comparisonRows(dates, closes, [manifest('linear', 3, '2020-02-17')]);
    const { windows, actual, previous } = comparisonWindows(rows, 3);
    expect(rows.count).toBe(3);
    expect([...(windows[0] ?? [])]).toEqual([...closes.slice(14, 17)]);
    expect(actual[0]).toBe(closes[17]);
    expect(previous[0]).toBe(Math.fround(closes[16] ?? 0));
  });
});
