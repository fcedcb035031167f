import { describe, expect, it } from 'vitest';
import { parseDate, parseNumber } from './parse-cells.js';

describe('parseDate', () => {
  it('accepts YYYY-MM-DD and M/D/YYYY, normalising to YYYY-MM-DD', () => {
    expect(parseDate('2018-03-27')).toBe('2018-03-27');
    expect(parseDate('3/7/2018')).toBe('2018-03-07');
    expect(parseDate('12/31/2019')).toBe('2019-12-31');
    expect(parseDate('2019-2-3')).toBe('2019-02-03');
  });

  it('rejects impossible dates and other forms', () => {
    for (const text of ['2021-02-30', '13/1/2020', '2020/01/02', '', 'null', '20200102']) {
      expect(parseDate(text), text).toBeUndefined();
    }
  });
});

describe('parseNumber', () => {
  it('accepts plain, signed, fractional, exponent and thousands-separated numbers', () => {
    expect(parseNumber('7,380,500')).toBe(7380500);
    expect(parseNumber('1,234.5')).toBe(1234.5);
    expect(parseNumber('53.150002')).toBe(53.150002);
    expect(parseNumber('-0.5')).toBe(-0.5);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('1e3')).toBe(1000);
  });

  it('rejects empty, textual and malformed numbers', () => {
    for (const text of [
      '',
      'null',
      'NaN',
      'Infinity',
      '1,23',
      '12,3456',
      '1.2.3',
      '.',
      'e5',
      '$5',
    ]) {
      expect(parseNumber(text), text).toBeUndefined();
    }
  });
});
