import { REQUIRED_COLUMNS, canonicalColumn } from '../../series/index.js';
import type { Rule } from './rule.js';

/**
 * Every required column is present. Only checked when the input lists its columns: the CSV loader
 * already refuses a file without them (no bar could be built), so this serves other sources.
 */
export const requiredColumns: Rule = (input, _options, sink) => {
  if (input.columns === undefined) return;
  const found = new Set(input.columns.map((c) => canonicalColumn(c)));
  for (const column of REQUIRED_COLUMNS) {
    if (found.has(column)) continue;
    sink.add('required-columns', {
      message: `missing required column '${column}'; found ${input.columns.join(', ') || 'none'}`,
      column,
    });
  }
};
