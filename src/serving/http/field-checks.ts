import { invalidParam, type MlopsError } from '../../core/index.js';

/** A 400 naming the field (a JSON path such as `series[3].close`) and what was expected. */
export function fieldError(field: string, expected: string, ...got: [] | [unknown]): MlopsError {
  const shown = got.length > 0 ? `, got ${show(got[0])}` : '';
  const where = field === '' ? 'The request body' : `'${field}'`;
  return invalidParam(`${where}: expected ${expected}${shown}.`, { field });
}

/** A short, safe rendering of a bad value for an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A closing price: a finite number above zero (JSON numbers past 1e308 arrive as Infinity). */
export function price(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw fieldError(field, 'a positive finite number (a closing price)', value);
  }
  return value;
}

/** A list of at least `min` values. */
export function list(value: unknown, field: string, what: string, min = 1): readonly unknown[] {
  if (!Array.isArray(value)) throw fieldError(field, `a list of ${what}`, value);
  if (value.length < min) {
    throw fieldError(field, `at least ${min} ${what}`, value);
  }
  return value;
}

/** Refuses keys outside `allowed`, naming the first one (typos such as `horizons`). */
export function onlyKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  prefix: string,
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const field = prefix === '' ? key : `${prefix}.${key}`;
      throw invalidParam(
        `'${field}' is not a known field; expected only ${allowed.map((k) => `'${k}'`).join(', ')}.`,
        { field },
      );
    }
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date written YYYY-MM-DD (2023-02-30 is refused). */
export function isoDate(value: unknown, field: string): string {
  const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) {
      return value as string;
    }
  }
  throw fieldError(field, 'a calendar date written YYYY-MM-DD', value);
}
