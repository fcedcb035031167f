import { describe, expect, it } from 'vitest';
import { businessDaysAfter, nextBusinessDay } from './business-days.js';

describe('nextBusinessDay', () => {
  it('skips weekends', () => {
    expect(nextBusinessDay('2024-01-04')).toBe('2024-01-05'); // Thu -> Fri
    expect(nextBusinessDay('2024-01-05')).toBe('2024-01-08'); // Fri -> Mon
    expect(nextBusinessDay('2024-01-06')).toBe('2024-01-08'); // Sat -> Mon
    expect(nextBusinessDay('2024-01-07')).toBe('2024-01-08'); // Sun -> Mon
  });

  it('crosses months, years and leap days', () => {
    expect(nextBusinessDay('2024-02-28')).toBe('2024-02-29');
    expect(nextBusinessDay('2023-12-29')).toBe('2024-01-01');
  });

  it('steps a horizon one business day at a time', () => {
    expect(businessDaysAfter('2024-01-04', 4)).toEqual([
      '2024-01-05',
      '2024-01-08',
      '2024-01-09',
      '2024-01-10',
    ]);
    expect(businessDaysAfter('2024-01-04', 0)).toEqual([]);
  });
});
