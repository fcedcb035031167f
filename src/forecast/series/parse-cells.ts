/** Text-to-value parsers for one cell; `undefined` means the cell does not parse. */

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export const DATE_EXPECTED = 'a date YYYY-MM-DD or M/D/YYYY';
export const NUMBER_EXPECTED = 'a number, e.g. 1234.5 or "7,380,500"';

/** 'YYYY-MM-DD' or 'M/D/YYYY' -> 'YYYY-MM-DD'; calendar-checked (no 2021-02-30). */
export function parseDate(text: string): string | undefined {
  const iso = ISO_DATE.exec(text);
  const us = iso ? undefined : US_DATE.exec(text);
  const parts = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : undefined;
  if (!parts) return undefined;
  const [y, m, d] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return undefined;
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

// Digits with optional well-formed thousands separators, a fraction and an exponent.
const NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** '7,380,500' -> 7380500. Rejects '', 'null', 'NaN', '1,23' and anything not finite. */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text) || !/\d/.test(text.replace(/[eE].*$/, ''))) return undefined;
  const value = Number(text.replaceAll(',', ''));
  return Number.isFinite(value) ? value : undefined;
}
