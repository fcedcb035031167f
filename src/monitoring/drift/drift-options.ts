import { invalidParam } from '../../core/index.js';
import { DRIFT_TESTS } from '../stats/index.js';
import type { DriftOptions } from './drift-types.js';
import { knownTests } from './run-test.js';

/**
 * Checks options against the reference's columns before any work: an unknown column or test
 * name, or a threshold that is not a number, is a caller's mistake and fails loudly with what
 * exists (unlike bad data, which becomes a per-column problem in the result).
 */
export function checkDriftOptions(options: DriftOptions, columns: readonly string[]): void {
  const known = new Set(columns);
  const unknownColumn = (name: string, where: string) =>
    invalidParam(
      `drift options: ${where} names column '${name}', which the reference does not have;` +
        ` reference columns: ${columns.join(', ') || '(none)'}`,
      { column: name, columns },
    );
  for (const name of options.columns ?? []) {
    if (!known.has(name)) throw unknownColumn(name, 'columns');
  }
  for (const [name, spec] of Object.entries(options.perColumn ?? {})) {
    if (!known.has(name)) throw unknownColumn(name, 'perColumn');
    checkTest(spec.test, `perColumn.${name}.test`);
    checkThreshold(spec.threshold, `perColumn.${name}.threshold`);
    if (spec.kind !== undefined && spec.kind !== 'numerical' && spec.kind !== 'categorical') {
      throw invalidParam(
        `drift options: perColumn.${name}.kind is '${String(spec.kind)}'; expected 'numerical' or 'categorical'`,
        { column: name },
      );
    }
  }
  checkTest(options.test, 'test');
  checkTest(options.numericalTest, 'numericalTest');
  checkTest(options.categoricalTest, 'categoricalTest', 'categorical');
  checkThreshold(options.threshold, 'threshold');
  checkThreshold(options.numericalThreshold, 'numericalThreshold');
  checkThreshold(options.categoricalThreshold, 'categoricalThreshold');
  const share = options.driftShare;
  if (share !== undefined && !(Number.isFinite(share) && share >= 0 && share <= 1)) {
    throw invalidParam(`drift options: driftShare is ${share}; expected a number from 0 to 1`, {
      driftShare: share,
    });
  }
  const workers = options.workers;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) {
    throw invalidParam(
      `drift options: workers is ${workers}; expected a whole number >= 0 (0 = this thread only)`,
      { workers },
    );
  }
}

function checkTest(name: string | undefined, field: string, kind?: 'categorical'): void {
  if (name === undefined) return;
  const found = DRIFT_TESTS.filter((t) => t.name === name && (!kind || t.kind === kind));
  if (found.length > 0) return;
  const expected = kind
    ? [...new Set(DRIFT_TESTS.filter((t) => t.kind === kind).map((t) => t.name))].sort()
    : knownTests();
  throw invalidParam(
    `drift options: ${field} is '${name}', not a known${kind ? ` ${kind}` : ''} drift test;` +
      ` expected one of: ${expected.join(', ')}`,
    { field, test: name },
  );
}

function checkThreshold(value: number | undefined, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidParam(`drift options: ${field} is ${String(value)}; expected a number >= 0`, {
      field,
    });
  }
}
