import { rowFields, rowLabel } from '../row-label.js';
import type { Rule } from './rule.js';

const PRICES = ['open', 'high', 'low', 'close', 'adjClose'] as const;

/** Prices > 0 (log returns need them) and volume >= 0; one issue per offending cell. */
export const positiveValues: Rule = (input, _options, sink) => {
  input.bars.forEach((bar, i) => {
    for (const column of PRICES) {
      const value = bar[column];
      if (value === undefined || !(value <= 0)) continue;
      sink.add('positive-values', {
        message: `${rowLabel(input, i)}: ${column} is ${value}, expected a price > 0`,
        ...rowFields(input, i),
        column,
        value,
      });
    }
    if (bar.volume < 0) {
      sink.add('positive-values', {
        message: `${rowLabel(input, i)}: volume is ${bar.volume}, expected >= 0`,
        ...rowFields(input, i),
        column: 'volume',
        value: bar.volume,
      });
    }
  });
};
