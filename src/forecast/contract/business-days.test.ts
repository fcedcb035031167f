import { describe, expect, it } from 'vitest';
import { businessDaysBetween } from './business-days.js';

describe('businessDaysBetween', () => {
  it('counts weekdays after the first date up to the second, skipping weekends', () => {
    expect(businessDaysBetween('2020-01-02', '2020-01-03')).toBe(1); // Thu -> Fri
    expect(businessDaysBetween('2020-01-03', '2020-01-06')).toBe(1); // Fri -> Mon
    expect(businessDaysBetween('2020-01-03', '2020-01-13')).toBe(6); // a week missing
    expect(businessDaysBetween('2001-09-10', '2001-09-17')).toBe(5); // the 9/11 closure
    expect(businessDaysBetween('2000-01-03', '2020-04-17')).toBe(5294); // checked by brute force
  });

  it('is 0 when the second date is not later, NaN for an invalid date', () => {
    expect(businessDaysBetween('2020-01-06', '2020-01-06')).toBe(0);
    expect(businessDaysBetween('2020-01-06', '2020-01-03')).toBe(0);
    expect(businessDaysBetween('2020-01-06', 'soon')).toBeNaN();
  });
});
