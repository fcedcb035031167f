import { businessDaysBetween } from '../business-days.js';
import { rowFields, rowLabel } from '../row-label.js';
import type { Rule } from './rule.js';

/** Warns when consecutive rows are more than `maxGapBusinessDays` business days apart. */
export const dateGaps: Rule = (input, options, sink) => {
  const limit = options.maxGapBusinessDays;
  for (let i = 1; i < input.bars.length; i++) {
    const gap = businessDaysBetween(input.bars[i - 1]?.date ?? '', input.bars[i]?.date ?? '');
    if (!(gap > limit)) continue;
    sink.add('date-gaps', {
      message: `${rowLabel(input, i)}: ${gap} business days after ${rowLabel(input, i - 1)}, more than ${limit}`,
      ...rowFields(input, i),
      column: 'date',
      value: gap,
    });
  }
};
