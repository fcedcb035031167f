import { describe, expect, it } from 'vitest';
import { chooseTest, defaultTest } from './select-test.js';

describe("defaultTest: Evidently's _get_default_stattest table", () => {
  // [kind, reference rows, distinct over both sides, expected test]
  const table = [
    ['numerical', 1000, 6, 'ks'],
    ['numerical', 1001, 6, 'wasserstein'],
    ['numerical', 1000, 5, 'chisquare'],
    ['numerical', 1000, 3, 'chisquare'],
    ['numerical', 1001, 5, 'jensenshannon'],
    ['numerical', 1001, 3, 'jensenshannon'],
    ['numerical', 1000, 2, 'z'],
    ['numerical', 1000, 1, 'z'],
    ['numerical', 1001, 2, 'jensenshannon'],
    ['categorical', 1000, 3, 'chisquare'],
    ['categorical', 1000, 50, 'chisquare'],
    ['categorical', 1001, 3, 'jensenshannon'],
    ['categorical', 1000, 2, 'z'],
    ['categorical', 1001, 2, 'jensenshannon'],
  ] as const;
  it.each(table)('%s, %i reference rows, %i distinct -> %s', (kind, rows, distinct, test) => {
    expect(defaultTest(kind, rows, distinct)).toBe(test);
  });
});

describe('chooseTest: column > kind > global > default', () => {
  const options = {
    test: 'psi',
    numericalTest: 'ed',
    categoricalTest: 'hellinger',
    perColumn: { a: { test: 'kl_div', threshold: 0.3 }, b: { threshold: 0.2 } },
    threshold: 0.4,
    numericalThreshold: 0.5,
  };

  it('takes the column test first', () => {
    expect(chooseTest('a', 'numerical', 10, 10, options)).toEqual({
      test: 'kl_div',
      selectedBy: 'column',
      threshold: 0.3,
    });
  });

  it('then the kind test, with the column threshold if any, else the kind threshold', () => {
    expect(chooseTest('b', 'numerical', 10, 10, options)).toEqual({
      test: 'ed',
      selectedBy: 'kind',
      threshold: 0.2,
    });
    expect(chooseTest('c', 'numerical', 10, 10, options)).toEqual({
      test: 'ed',
      selectedBy: 'kind',
      threshold: 0.5,
    });
    // No categoricalThreshold: the global one applies.
    expect(chooseTest('c', 'categorical', 10, 10, options)).toEqual({
      test: 'hellinger',
      selectedBy: 'kind',
      threshold: 0.4,
    });
  });

  it('then the global test', () => {
    expect(chooseTest('c', 'categorical', 10, 10, { test: 'psi' })).toEqual({
      test: 'psi',
      selectedBy: 'global',
      threshold: undefined,
    });
  });

  it("falls back to the default table and the test's own threshold", () => {
    expect(chooseTest('c', 'numerical', 5000, 100, {})).toEqual({
      test: 'wasserstein',
      selectedBy: 'default',
      threshold: undefined,
    });
    expect(chooseTest('c', 'numerical', 5000, 100, { threshold: 0.7 }).threshold).toBe(0.7);
  });
});
