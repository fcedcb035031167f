import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import type { MonitorDataset } from '../dataset.js';
import { computeDataDrift } from './compute-data-drift.js';
import { profileReference } from './reference-profile.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);

/** Deterministic normal samples (mulberry32 + Box-Muller), so tests need no fixtures on disk. */
function normals(n: number, seed: number, mean = 0, sd = 1): Float64Array {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float64Array.from(
    { length: n },
    () => mean + sd * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()),
  );
}

const dataset = (columns: MonitorDataset['columns']): MonitorDataset => ({
  rows: Object.values(columns)[0]?.length ?? 0,
  columns,
});

describe('computeDataDrift: defaults', () => {
  it('tests every column, drops missing values first and applies the drift share', async () => {
    const reference = dataset({ same: normals(2000, 1), moved: normals(2000, 2) });
    const cur = normals(1500, 3);
    cur[0] = NaN;
    cur[1] = Infinity;
    const current = dataset({ same: cur, moved: normals(1500, 4, 1) });
    const result = await computeDataDrift(reference, current);
    const [same, moved] = result.columns;
    expect(same).toMatchObject({ test: 'wasserstein', selectedBy: 'default', status: 'ok' });
    expect(same!.current).toMatchObject({ rows: 1500, missing: 2, distinct: 1498 });
    expect(same!.drifted).toBe(false);
    expect(moved!.drifted).toBe(true);
    expect(moved!.score).toBeGreaterThan(0.9);
    expect(result).toMatchObject({
      testedColumns: 2,
      driftedColumns: 1,
      driftedShare: 0.5,
      driftShare: 0.5,
      datasetDrift: true, // exactly 0.5 drifts: share >= drift_share
      problems: [],
    });
  });

  it('does not drift just below the share', async () => {
    const reference = dataset({ a: normals(2000, 1), b: normals(2000, 2) });
    const current = dataset({ a: normals(2000, 3), b: normals(2000, 4, 2) });
    const result = await computeDataDrift(reference, current, { driftShare: 0.51 });
    expect(result.driftedShare).toBe(0.5);
    expect(result.datasetDrift).toBe(false);
  });

  it('counts reference rows after cleaning when choosing between the table halves', async () => {
    const ref = normals(1001, 5);
    ref[0] = NaN; // 1000 finite values left: the p-value half of the table
    const result = await computeDataDrift(dataset({ a: ref }), dataset({ a: normals(50, 6) }));
    expect(result.columns[0]!.test).toBe('ks');
  });

  it('counts distinct values over both sides combined, after dropping missing ones', async () => {
    const choice = async (ref: MonitorDataset['columns'], cur: MonitorDataset['columns']) => {
      const kind = ref.x instanceof Float64Array ? 'numerical' : 'categorical';
      const result = await computeDataDrift(dataset(ref), dataset(cur), {
        perColumn: { x: { kind } },
      });
      return [result.columns[0]!.test, result.columns[0]!.status];
    };
    // 5 values over both sides once NaN is gone (6 if NaN counted): chisquare, not ks.
    expect(await choice({ x: f64(1, 2, NaN, NaN) }, { x: f64(3, 4, 5, NaN) })).toEqual([
      'chisquare',
      'ok',
    ]);
    // 5 on each side but 10 together: ks.
    expect(await choice({ x: f64(1, 2, 3, 4, 5) }, { x: f64(6, 7, 8, 9, 10) })).toEqual([
      'ks',
      'ok',
    ]);
    // 2 in the reference alone, 3 together: chisquare, not z.
    expect(await choice({ x: f64(1, 2) }, { x: f64(2, 3) })).toEqual(['chisquare', 'ok']);
    expect(await choice({ x: ['a', null, 'a'] }, { x: ['b', null] })).toEqual(['z', 'ok']);
    expect(await choice({ x: ['a', 'b'] }, { x: ['c', null] })).toEqual(['chisquare', 'ok']);
  });

  it('draws 10 equal-width bins over the combined range, and category shares', async () => {
    const result = await computeDataDrift(
      dataset({ x: f64(0, 1, 2, 3, 4), c: ['a', 'a', 'b', 'b', null] }),
      dataset({ x: f64(5, 10, 10, 10, NaN), c: ['c', 'a', 'a', 'a', 'a'] }),
      // Integral with few values would be categorical: ask for a histogram.
      { perColumn: { x: { kind: 'numerical' } } },
    );
    const [x, c] = result.columns;
    expect(x!.distribution).toEqual({
      type: 'histogram',
      edges: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      reference: [0.2, 0.2, 0.2, 0.2, 0.2, 0, 0, 0, 0, 0],
      current: [0, 0, 0, 0, 0, 0.25, 0, 0, 0, 0.75],
    });
    expect(c!.distribution).toEqual({
      type: 'categories',
      categories: ['a', 'b', 'c'],
      reference: [0.5, 0.5, 0],
      current: [0.8, 0, 0.2],
    });
    expect(c!.reference).toEqual({ rows: 5, missing: 1, distinct: 2 });
    expect(x!.current).toMatchObject({ min: 5, max: 10, mean: 8.75, missing: 1 });
  });
});

describe('computeDataDrift: overrides', () => {
  const reference = dataset({ a: normals(2000, 1), b: normals(2000, 2), c: ['x', 'y', 'y'] });
  const current = dataset({ a: normals(2000, 3), b: normals(2000, 4), c: ['x', 'x', 'y'] });

  it('records which level chose each test', async () => {
    const result = await computeDataDrift(reference, current, {
      perColumn: { a: { test: 'psi', threshold: 0.9 } },
      numericalTest: 'ed',
      test: 'hellinger',
    });
    expect(result.columns.map((c) => [c.column, c.test, c.selectedBy, c.threshold])).toEqual([
      ['a', 'psi', 'column', 0.9],
      ['b', 'ed', 'kind', 0.1],
      ['c', 'hellinger', 'global', 0.1],
    ]);
  });

  it('tests only the requested columns', async () => {
    const result = await computeDataDrift(reference, current, { columns: ['b'] });
    expect(result.columns.map((c) => c.column)).toEqual(['b']);
  });

  it('rejects unknown column names, naming the columns that exist', async () => {
    const attempt = computeDataDrift(reference, current, { columns: ['a', 'nope'] });
    await expect(attempt).rejects.toThrow(MlopsError);
    await expect(attempt).rejects.toThrow(/column 'nope'.*reference columns: a, b, c/);
    await expect(
      computeDataDrift(reference, current, { perColumn: { zz: { threshold: 1 } } }),
    ).rejects.toThrow(/perColumn names column 'zz'/);
  });

  it('rejects unknown tests and bad numbers', async () => {
    await expect(computeDataDrift(reference, current, { test: 'nope' })).rejects.toThrow(
      /test is 'nope', not a known drift test; expected one of: .*wasserstein/,
    );
    await expect(
      computeDataDrift(reference, current, { categoricalTest: 'wasserstein' }),
    ).rejects.toThrow(/categoricalTest is 'wasserstein', not a known categorical drift test/);
    await expect(computeDataDrift(reference, current, { threshold: NaN })).rejects.toThrow(
      /threshold is NaN/,
    );
    await expect(computeDataDrift(reference, current, { driftShare: 2 })).rejects.toThrow(
      /driftShare is 2/,
    );
  });
});

describe('computeDataDrift: bad input never crashes and never reads as no drift', () => {
  const reference = dataset({ a: normals(50, 1), b: normals(50, 2) });

  it('an empty current window: every column is an error and nothing was tested', async () => {
    const result = await computeDataDrift(reference, { rows: 0, columns: { a: f64(), b: f64() } });
    expect(result.columns[0]).toMatchObject({
      status: 'error',
      score: null,
      drifted: false,
      problem: "column 'a': test 'ks' could not run: current data has no rows",
    });
    expect(result.testedColumns).toBe(0);
    expect(result.datasetDrift).toBe(false);
    expect(result.problems).toContain('current data has no rows');
    expect(result.problems.join('\n')).toMatch(/no column could be tested/);
  });

  it('a column that is all NaN on one side', async () => {
    const result = await computeDataDrift(
      reference,
      dataset({ a: f64(NaN, Infinity, -Infinity), b: f64(1, 2, 3) }),
    );
    expect(result.columns[0]!.problem).toBe(
      "column 'a': test 'ks' could not run: all 3 current values are missing (NaN/±inf); nothing to compare",
    );
    expect(result.columns[1]!.status).toBe('ok');
    expect(result.problems[0]).toMatch(/1 of 2 columns could not be tested.*: a$/);
    const allNanReference = await computeDataDrift(
      dataset({ a: f64(NaN, NaN) }),
      dataset({ a: f64(1, 2) }),
    );
    expect(allNanReference.columns[0]!.problem).toMatch(
      /column 'a'.*all 2 reference values are missing/,
    );
  });

  it('a column missing in current data', async () => {
    const result = await computeDataDrift(reference, dataset({ b: normals(20, 3) }));
    expect(result.columns[0]!.problem).toBe(
      "column 'a': test 'ks' could not run: the column is missing in current data (current columns: b)",
    );
  });

  it('numbers in the reference and strings in current', async () => {
    const result = await computeDataDrift(reference, dataset({ a: ['x', 'y'], b: normals(5, 1) }));
    expect(result.columns[0]!.status).toBe('error');
    expect(result.columns[0]!.problem).toMatch(
      /column 'a'.*reference holds numbers \(Float64Array\) but current data holds strings/,
    );
  });

  it('labels that are not strings', async () => {
    const bad = ['x', 3] as unknown as string[];
    const result = await computeDataDrift(dataset({ c: ['x', 'y'] }), dataset({ c: bad }));
    expect(result.columns[0]!.problem).toMatch(
      /column 'c'.*current column 'c' row 1 is the number 3; expected a string label or null/,
    );
  });

  it('numeric-looking strings in current say how to pass them', async () => {
    const result = await computeDataDrift(
      dataset({ a: f64(1.5, 2.5, 3.5) }),
      dataset({ a: ['1.5', '2.5', null, '7'] }),
    );
    expect(result.columns[0]!.problem).toMatch(
      /column 'a'.*current data holds strings; .*look like numbers: parse them into a Float64Array/,
    );
  });

  it('a column value that is not an array is an error on the column, not a TypeError', async () => {
    const columns = { a: undefined, b: new Float32Array([1, 2]) } as unknown as Record<
      string,
      Float64Array
    >;
    const result = await computeDataDrift(dataset({ a: f64(1, 2), b: f64(1, 2) }), {
      rows: 2,
      columns,
    });
    expect(result.columns.map((c) => c.problem)).toEqual([
      expect.stringMatching(
        /column 'a'.*current column 'a' is undefined; expected a Float64Array or an array of strings and nulls/,
      ),
      expect.stringMatching(/current column 'b' is a Float32Array; expected a Float64Array/),
    ]);
    expect(result.testedColumns).toBe(0);
  });

  it('a column listed twice is tested once', async () => {
    const result = await computeDataDrift(
      reference,
      dataset({ a: normals(50, 3, 5), b: normals(50, 4) }),
      {
        columns: ['a', 'a', 'b'],
      },
    );
    expect(result.columns.map((c) => c.column)).toEqual(['a', 'b']);
    expect(result).toMatchObject({ testedColumns: 2, driftedColumns: 1, driftedShare: 0.5 });
    const profile = await profileReference(reference, { columns: ['b', 'b'] });
    expect([...profile.columns.keys()]).toEqual(['b']);
  });

  it("columns whose length is not the dataset's rows are reported", async () => {
    const result = await computeDataDrift(
      { rows: 10, columns: { a: normals(50, 1) } },
      { rows: 50, columns: { a: normals(40, 2) } },
    );
    expect(result.columns[0]!.status).toBe('ok');
    expect(result.problems).toEqual([
      "reference column 'a' has 50 values but the dataset has rows = 10",
      "current column 'a' has 40 values but the dataset has rows = 50",
    ]);
  });

  it('an empty dataset with no columns tests nothing and says so', async () => {
    const empty = { rows: 0, columns: {} };
    const result = await computeDataDrift(empty, empty);
    expect(result).toMatchObject({ columns: [], testedColumns: 0, datasetDrift: false });
    expect(result.problems.join('\n')).toMatch(/no columns to test/);
  });

  it('null-only label columns are errors naming the side', async () => {
    const result = await computeDataDrift(
      dataset({ c: [null, null] }),
      dataset({ c: ['x', null] }),
    );
    expect(result.columns[0]).toMatchObject({ kind: 'categorical', status: 'error' });
    expect(result.columns[0]!.problem).toMatch(
      /column 'c'.*all 2 reference values are missing \(null\)/,
    );
  });

  it('driftShare 0 and 1 and a threshold of 0 follow the >= and < rules', async () => {
    const ref = dataset({ a: normals(2000, 1), b: normals(2000, 2) });
    const cur = dataset({ a: normals(2000, 3, 3), b: normals(2000, 4) });
    const zero = await computeDataDrift(
      ref,
      dataset({ a: normals(2000, 3), b: normals(2000, 4) }),
      {
        driftShare: 0,
      },
    );
    expect(zero).toMatchObject({ driftedShare: 0, datasetDrift: true }); // 0 >= 0
    expect(await computeDataDrift(ref, cur, { driftShare: 1 })).toMatchObject({
      driftedShare: 0.5,
      datasetDrift: false,
    });
    // A distance of 0 threshold: any distance drifts; a p-value below 0 never happens.
    const t0 = await computeDataDrift(ref, ref, { threshold: 0 });
    expect(t0.columns.map((c) => [c.score, c.drifted])).toEqual([
      [0, true],
      [0, true],
    ]);
    const p0 = await computeDataDrift(ref, cur, { threshold: 0, test: 't_test' });
    expect(p0.columns.map((c) => c.drifted)).toEqual([false, false]);
  });

  it('a numerical-only test on a categorical column', async () => {
    const result = await computeDataDrift(dataset({ c: ['x', 'y'] }), dataset({ c: ['x'] }), {
      perColumn: { c: { test: 'wasserstein' } },
    });
    expect(result.columns[0]!.problem).toMatch(
      /column 'c': test 'wasserstein' could not run: 'wasserstein' works on numerical columns only/,
    );
  });

  it('constant columns: the test runs where it is defined', async () => {
    const constant = new Float64Array(2000).fill(0.5);
    const result = await computeDataDrift(
      dataset({ same: constant, moved: constant }),
      dataset({ same: constant, moved: new Float64Array(10).fill(0.6) }),
      { perColumn: { moved: { test: 'wasserstein' } } },
    );
    expect(result.columns[0]).toMatchObject({ test: 'jensenshannon', score: 0, drifted: false });
    // Reference std is 0: the distance is divided by the 0.001 floor.
    expect(result.columns[1]!.score).toBeCloseTo(100, 9);
    expect(result.columns[1]!.drifted).toBe(true);
  });

  it('windows too small for a test say which test and why', async () => {
    const ref = dataset({ a: f64(0.5, 0.5, 0.5), b: f64(1, 2, 3.5), c: f64(1, 2, 3.5) });
    const cur = dataset({ a: f64(0.5, 0.5), b: f64(2), c: f64(4) });
    const result = await computeDataDrift(ref, cur, {
      perColumn: {
        a: { test: 'anderson' },
        b: { test: 'cramer_von_mises' },
        c: { test: 't_test' },
      },
    });
    const problems = result.columns.map((c) => c.problem);
    expect(problems[0]).toMatch(
      /column 'a': test 'anderson' could not run: 'anderson' needs at least two distinct values/,
    );
    expect(problems[1]).toMatch(
      /column 'b': test 'cramer_von_mises' could not run: .*at least 2 values on each side.*current has 1/,
    );
    expect(problems[2]).toMatch(/column 'c': test 't_test' could not run: .*at least 2 values/);
    // The data is still drawn when only the test cannot run.
    expect(result.columns[0]!.distribution?.type).toBe('histogram');
    expect(result.datasetDrift).toBe(false);
    expect(result.problems.join('\n')).toMatch(/no column could be tested/);
  });

  it('t_test on two constant sides is undefined, not "no drift"', async () => {
    const result = await computeDataDrift(
      dataset({ a: f64(1.5, 1.5, 1.5) }),
      dataset({ a: f64(1.5, 1.5) }),
      {
        test: 't_test',
      },
    );
    expect(result.columns[0]!.problem).toMatch(
      /'t_test' is undefined when both sides are constant/,
    );
  });
});

describe('computeDataDrift: profile and worker threads change nothing', () => {
  const reference = dataset({
    a: normals(3000, 1),
    b: normals(3000, 2),
    small: f64(1, 2, 2, 3),
    c: Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? null : `k${i % 5}`)),
  });
  const current = dataset({
    a: normals(2500, 3, 0.3),
    b: normals(2500, 4),
    small: f64(2, 2, 3, 3, 3),
    c: Array.from({ length: 2500 }, (_, i) => `k${i % 4}`),
  });

  it('a cached reference profile gives the same result as the dataset, window after window', async () => {
    const profile = await profileReference(reference);
    expect(await computeDataDrift(profile, current)).toEqual(
      await computeDataDrift(reference, current),
    );
    const other = dataset({ ...current.columns, a: normals(2500, 9) });
    expect(await computeDataDrift(profile, other)).toEqual(
      await computeDataDrift(reference, other),
    );
  });

  it('sorting on worker threads gives the same result as this thread', async () => {
    const inThread = await computeDataDrift(reference, current, { workers: 0 });
    const threaded = await computeDataDrift(reference, current, { workers: 2 });
    expect(threaded).toEqual(inThread);
    const profile = await profileReference(reference, { workers: 1 });
    expect(await computeDataDrift(profile, current, { workers: 1 })).toEqual(inThread);
  });

  it('rejects a profile column that was not profiled', async () => {
    const profile = await profileReference(reference, { columns: ['a'] });
    await expect(computeDataDrift(profile, current, { columns: ['b'] })).rejects.toThrow(
      /column 'b'.*reference columns: a$/,
    );
  });
});
