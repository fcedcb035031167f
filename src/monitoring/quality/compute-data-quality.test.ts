import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import type { MonitorDataset } from '../dataset.js';
import { computeDataQuality } from './compute-data-quality.js';
import type { ColumnQuality, ContractViolation } from './quality-types.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);
const dataset = (columns: MonitorDataset['columns']): MonitorDataset => ({
  rows: Object.values(columns)[0]?.length ?? 0,
  columns,
});
const column = (result: { columns: readonly ColumnQuality[] }, name: string) => {
  const found = result.columns.find((c) => c.column === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
};

const REFERENCE = dataset({
  x: f64(1, 2, 3, 4, NaN),
  c: ['a', 'b', 'a', null, 'b'],
});
const CURRENT = dataset({
  x: f64(0, 2, 5, Infinity, NaN, 3),
  c: ['a', 'c', 'c', '', null, 'd'],
});

describe('computeDataQuality: per-column numbers', () => {
  const result = computeDataQuality(REFERENCE, CURRENT);

  it('counts NaN and ±inf as missing and checks present values against the reference [min, max]', () => {
    // missing: Infinity, NaN -> 2 of 6; reference: one NaN of 5 -> 0.2
    // range [1, 4]; present current values 0, 2, 5, 3 -> 0 and 5 outside -> 2 of 4
    // min 0, max 5, mean (0 + 2 + 5 + 3) / 4 = 2.5
    expect(column(result, 'x')).toEqual({
      column: 'x',
      kind: 'numerical',
      missing: 2,
      missingShare: 2 / 6,
      referenceMissingShare: 0.2,
      outOfRange: 2,
      outOfRangeShare: 0.5,
      referenceRange: [1, 4],
      min: 0,
      max: 5,
      mean: 2.5,
      constant: false,
      almostConstant: false,
    });
  });

  it('keeps the mean finite for values near the largest double (a sum would overflow)', () => {
    const big = f64(1.5e308, 1.7e308, 1.6e308);
    const q = column(computeDataQuality(dataset({ x: big }), dataset({ x: big })), 'x');
    expect(q.mean! / 1e308).toBeCloseTo(1.6, 12);
  });

  it('keeps both ends of the reference range inside it, and ignores reference ±inf', () => {
    // range [1, 4] (Infinity is missing, not the max); 1 and 4 are in, 0.5 and 4.5 are out
    const result = computeDataQuality(
      dataset({ x: f64(4, 1, Infinity, 2) }),
      dataset({ x: f64(1, 4, 0.5, 4.5) }),
    );
    expect(column(result, 'x')).toMatchObject({
      referenceRange: [1, 4],
      referenceMissingShare: 0.25,
      outOfRange: 2,
      outOfRangeShare: 0.5,
    });
  });

  it('counts null and "" as missing and lists labels the reference never holds', () => {
    // missing: '' and null -> 2 of 6; reference: one null of 5 -> 0.2
    // new: 'c' (2 rows), 'd' (1 row) -> 3 rows of all 6 current rows -> 0.5
    expect(column(result, 'c')).toEqual({
      column: 'c',
      kind: 'categorical',
      missing: 2,
      missingShare: 2 / 6,
      referenceMissingShare: 0.2,
      newCategories: ['c', 'd'],
      newCategoryCount: 2,
      outOfList: 3,
      outOfListShare: 0.5,
      constant: false,
      almostConstant: false,
    });
  });

  it('gives the dataset missing share over the monitored cells', () => {
    // (2 + 2) missing of 2 columns x 6 rows
    expect(result.missingShare).toBeCloseTo(4 / 12, 15);
    expect(result.referenceRows).toBe(5);
    expect(result.currentRows).toBe(6);
    expect(result.schema).toEqual([]);
    expect(result.contract).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('lists new labels most frequent first, at most 100, while counting them all', () => {
    const labels = Array.from({ length: 150 }, (_, i) => `n${String(i).padStart(3, '0')}`);
    const current = dataset({ c: [...labels, 'n149', 'n149', 'a'] });
    const c = column(computeDataQuality(dataset({ c: ['a'] }), current), 'c');
    expect(c.newCategories).toHaveLength(100);
    expect(c.newCategories?.slice(0, 3)).toEqual(['n149', 'n000', 'n001']);
    expect(c.newCategoryCount).toBe(150);
    expect(c.outOfList).toBe(152);
    expect(c.outOfListShare).toBeCloseTo(152 / 153, 15);
  });
});

describe('computeDataQuality: constant and all-missing columns', () => {
  it('flags a constant column, and says so when the reference varied', () => {
    const result = computeDataQuality(dataset({ k: f64(1, 2, 3) }), dataset({ k: f64(7, 7, 7) }));
    expect(column(result, 'k')).toMatchObject({ constant: true, almostConstant: true });
    expect(column(result, 'k').outOfRange).toBe(3);
    expect(result.problems).toEqual([
      "column 'k': every present current value is 7 (constant), while the reference has 3 distinct values",
    ]);
  });

  it('does not complain about a column that was constant in the reference too', () => {
    const result = computeDataQuality(dataset({ k: ['on', 'on'] }), dataset({ k: ['on', 'on'] }));
    expect(column(result, 'k')).toMatchObject({ constant: true, newCategories: [] });
    expect(result.problems).toEqual([]);
  });

  it("uses Evidently's almost-constant rule: top value share >= 0.95 of all rows", () => {
    const ref = dataset({
      v: f64(
        ...Array<number>(20)
          .fill(0)
          .map((_, i) => i),
      ),
    });
    const almost = f64(...Array<number>(19).fill(1), 2); // 19 / 20 = 0.95
    const not = f64(...Array<number>(18).fill(1), 2, 3); // 18 / 20 = 0.9
    expect(column(computeDataQuality(ref, dataset({ v: almost })), 'v')).toMatchObject({
      constant: false,
      almostConstant: true,
    });
    expect(column(computeDataQuality(ref, dataset({ v: not })), 'v').almostConstant).toBe(false);
  });

  it('reports an all-missing current column: share 1, constant, no min/max, a message', () => {
    const result = computeDataQuality(
      dataset({ x: f64(1, 2), c: ['a', 'b'] }),
      dataset({ x: f64(NaN, -Infinity), c: [null, ''] }),
    );
    expect(column(result, 'x')).toEqual({
      column: 'x',
      kind: 'numerical',
      missing: 2,
      missingShare: 1,
      referenceMissingShare: 0,
      outOfRange: 0,
      outOfRangeShare: 0,
      referenceRange: [1, 2],
      constant: true,
      almostConstant: false,
    });
    expect(column(result, 'c')).toMatchObject({ missing: 2, missingShare: 1, outOfList: 0 });
    expect(result.missingShare).toBe(1);
    expect(result.problems).toEqual([
      "column 'x': every current value is missing (2 rows)",
      "column 'c': every current value is missing (2 rows)",
    ]);
  });

  it('says when an all-missing reference leaves nothing to check against', () => {
    const result = computeDataQuality(
      dataset({ x: f64(NaN), c: [null] }),
      dataset({ x: f64(1), c: ['a'] }),
    );
    expect(column(result, 'x')).not.toHaveProperty('referenceRange');
    expect(column(result, 'x')).not.toHaveProperty('outOfRange');
    expect(column(result, 'c').newCategories).toEqual(['a']);
    expect(result.problems).toEqual([
      "column 'x': every reference value is missing, so there is no range to check current values against",
      "column 'c': every reference value is missing, so every present current label counts as new",
    ]);
  });
});

describe('computeDataQuality: empty data', () => {
  it('handles empty current data: zero rows, shares 0, and a problem saying why', () => {
    const result = computeDataQuality(REFERENCE, dataset({ x: f64(), c: [] }));
    expect(result.currentRows).toBe(0);
    expect(result.missingShare).toBe(0);
    expect(column(result, 'x')).toMatchObject({
      missing: 0,
      missingShare: 0,
      outOfRange: 0,
      outOfRangeShare: 0,
      constant: true,
      almostConstant: false,
    });
    expect(column(result, 'x')).not.toHaveProperty('mean');
    expect(column(result, 'c')).toMatchObject({ outOfList: 0, outOfListShare: 0 });
    expect(result.problems).toEqual([
      'the current data has no rows: nothing was checked and every share is 0',
    ]);
  });

  it('handles an empty reference', () => {
    const result = computeDataQuality(dataset({ x: f64() }), dataset({ x: f64(1) }));
    expect(column(result, 'x')).toMatchObject({ referenceMissingShare: 0, min: 1, max: 1 });
    expect(result.problems).toEqual([
      'the reference has no rows: there is no range or label list to check against',
    ]);
  });
});

describe('computeDataQuality: schema violations', () => {
  const result = computeDataQuality(
    dataset({ x: f64(1), c: f64(2), gone: ['a'] }),
    dataset({ x: f64(1), c: ['2'], extra: f64(3) }),
  );

  it('reports a reference column missing in current, a type mismatch and an extra column', () => {
    expect(result.schema).toEqual([
      {
        column: 'c',
        problem: 'type_mismatch',
        expected: 'numbers (Float64Array)',
        actual: 'labels (string array)',
        message:
          "column 'c' holds labels (string array) in the current data but numbers (Float64Array) in the reference; expected numbers (Float64Array)",
      },
      {
        column: 'gone',
        problem: 'missing_in_current',
        expected: 'labels (string array)',
        message:
          "column 'gone' is in the reference but not in the current data; expected labels (string array)",
      },
      {
        column: 'extra',
        problem: 'unexpected_in_current',
        actual: 'numbers (Float64Array)',
        message:
          "column 'extra' is in the current data but not in the reference; expected only the reference's columns ('x', 'c', 'gone')",
      },
    ]);
  });

  it('checks only the columns that match', () => {
    expect(result.columns.map((c) => c.column)).toEqual(['x']);
  });

  it('with a column list: checks those, flags no extra columns, reports unknown names', () => {
    const listed = computeDataQuality(
      dataset({ x: f64(1), y: f64(2) }),
      dataset({ x: f64(1), y: f64(2), timestamp: f64(0) }),
      { columns: ['y', 'nope'] },
    );
    expect(listed.columns.map((c) => c.column)).toEqual(['y']);
    expect(listed.schema).toEqual([]);
    expect(listed.problems).toEqual([
      "column 'nope' is listed for monitoring but the reference has no such column; expected one of 'x', 'y'",
    ]);
  });

  it('throws on a dataset whose column length is not its row count (a caller bug)', () => {
    const broken: MonitorDataset = { rows: 3, columns: { x: f64(1, 2) } };
    expect(() => computeDataQuality(broken, CURRENT)).toThrow(
      "reference column 'x' has 2 values but the dataset has 3 rows; expected one value per row",
    );
  });
});

describe('computeDataQuality: column kinds', () => {
  it('reads a numerical column as categorical when kinds says so', () => {
    const result = computeDataQuality(dataset({ code: f64(1, 2) }), dataset({ code: f64(2, 3) }), {
      kinds: { code: 'categorical' },
    });
    expect(column(result, 'code')).toMatchObject({
      kind: 'categorical',
      newCategories: ['3'],
      outOfListShare: 0.5,
    });
  });

  it('parses labels declared numerical, missing labels as missing', () => {
    const result = computeDataQuality(dataset({ v: ['1.5', '2'] }), dataset({ v: ['3', null] }), {
      kinds: { v: 'numerical' },
    });
    expect(column(result, 'v')).toMatchObject({
      kind: 'numerical',
      missing: 1,
      referenceRange: [1.5, 2],
      outOfRange: 1,
      outOfRangeShare: 1,
    });
  });

  it('reports a label that is no number as a type mismatch naming the row', () => {
    const result = computeDataQuality(dataset({ v: ['1'] }), dataset({ v: ['2', 'abc'] }), {
      kinds: { v: 'numerical' },
    });
    expect(result.columns).toEqual([]);
    expect(result.schema).toEqual([
      expect.objectContaining({
        column: 'v',
        problem: 'type_mismatch',
        message:
          "column 'v' is declared numerical but current row 1 holds 'abc'; expected a number or a missing value",
      }),
    ]);
  });

  it('rejects an unknown kind', () => {
    const kinds = { x: 'text' } as unknown as Record<string, 'numerical'>;
    let e: unknown;
    try {
      computeDataQuality(REFERENCE, CURRENT, { kinds });
    } catch (error) {
      e = error;
    }
    expect(MlopsError.is(e) && e.code).toBe('INVALID_PARAMETER_VALUE');
    expect((e as Error).message).toBe(
      "kinds['x'] is 'text'; expected 'numerical' or 'categorical'",
    );
  });
});

describe('computeDataQuality: the contract hook', () => {
  it("passes the contract's violations through, called with the current data", () => {
    const seen: MonitorDataset[] = [];
    const violation: ContractViolation = {
      rule: 'positive_close',
      severity: 'error',
      message: 'close must be positive',
      where: '2024-01-05',
    };
    const result = computeDataQuality(REFERENCE, CURRENT, {
      contract: (current) => {
        seen.push(current);
        return [violation];
      },
    });
    expect(seen).toEqual([CURRENT]);
    expect(result.contract).toEqual([violation]);
  });

  it('turns a contract that throws into a violation saying it could not run', () => {
    const result = computeDataQuality(REFERENCE, CURRENT, {
      contract: () => {
        throw new Error('no close column');
      },
    });
    expect(result.contract).toEqual([
      {
        rule: 'contract',
        severity: 'error',
        message: 'the data contract could not run on the current data: no close column',
      },
    ]);
  });
});
