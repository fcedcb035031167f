import { parseDate } from '../../series/index.js';
import { rowFields, rowLabel } from '../row-label.js';
import type { Rule } from './rule.js';

const NUMERIC = ['open', 'high', 'low', 'close', 'adjClose', 'volume'] as const;

/**
 * Every value parses: the loader's cell problems (line and column), and, for bars built elsewhere,
 * dates that are not real YYYY-MM-DD dates and numbers that are not finite.
 */
export const valuesParse: Rule = (input, _options, sink) => {
  for (const p of input.problems ?? []) {
    const where = p.column === undefined ? `line ${p.line}` : `line ${p.line}, column ${p.column}`;
    sink.add('values-parse', {
      message: `${where}: '${p.value}' is not ${p.expected}`,
      line: p.line,
      column: p.column,
      value: p.value,
    });
  }
  input.bars.forEach((bar, i) => {
    if (parseDate(bar.date) !== bar.date) {
      sink.add('values-parse', {
        message: `${rowLabel(input, i)}: date '${bar.date}' is not a date YYYY-MM-DD`,
        ...rowFields(input, i),
        column: 'date',
        value: bar.date,
      });
    }
    for (const column of NUMERIC) {
      const value = bar[column];
      if (value === undefined || Number.isFinite(value)) continue;
      sink.add('values-parse', {
        message: `${rowLabel(input, i)}: ${column} is ${value}, expected a finite number`,
        ...rowFields(input, i),
        column,
        value: String(value),
      });
    }
  });
};
