import { describe, expect, it } from 'vitest';
import { computeDataDrift } from './compute-data-drift.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);

async function kindOf(
  values: Float64Array | (string | null)[],
  kind?: 'numerical' | 'categorical',
) {
  const dataset = { rows: values.length, columns: { x: values } };
  const options = kind ? { perColumn: { x: { kind } } } : {};
  const result = await computeDataDrift(dataset, dataset, options);
  return result.columns[0]!.kind;
}

describe("column kinds as Evidently's infer_column_type", () => {
  it('numbers with a fraction are numerical, even with few values', async () => {
    expect(await kindOf(f64(0.5, 1, 1, 2))).toBe('numerical');
  });

  it('integral numbers with at most 10 distinct values are categorical', async () => {
    expect(await kindOf(f64(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, NaN))).toBe('categorical');
  });

  it('integral numbers with 11 distinct values are numerical', async () => {
    expect(await kindOf(f64(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10))).toBe('numerical');
  });

  it('a column with no finite value is numerical (a float column of NaN)', async () => {
    expect(await kindOf(f64(NaN, NaN))).toBe('numerical');
  });

  it('strings are categorical', async () => {
    expect(await kindOf(['a', 'b', null])).toBe('categorical');
  });

  it('perColumn kind overrides the inference', async () => {
    expect(await kindOf(f64(0, 1, 1), 'numerical')).toBe('numerical');
    expect(await kindOf(f64(0.5, 1.5), 'categorical')).toBe('categorical');
  });
});
