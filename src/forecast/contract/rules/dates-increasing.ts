import { rowFields, rowLabel } from '../row-label.js';
import type { Rule } from './rule.js';

/** Dates strictly increase: no duplicates, nothing out of order. ISO dates compare as strings. */
export const datesIncreasing: Rule = (input, _options, sink) => {
  const { bars } = input;
  // A newest-first export would give one issue per row; say what to do once instead.
  if (bars.length >= 3 && bars.every((b, i) => i === 0 || b.date < (bars[i - 1]?.date ?? ''))) {
    sink.add('dates-increasing', {
      message: `dates run newest first (${bars[0]?.date} .. ${bars.at(-1)?.date}); sort the rows oldest first`,
    });
    return;
  }
  for (let i = 1; i < bars.length; i++) {
    const previous = bars[i - 1]?.date ?? '';
    const date = bars[i]?.date ?? '';
    if (date > previous) continue;
    const message =
      date === previous
        ? `${rowLabel(input, i)}: duplicate date, same as ${rowLabel(input, i - 1)}`
        : `${rowLabel(input, i)}: date is before ${rowLabel(input, i - 1)}; dates must increase`;
    sink.add('dates-increasing', { message, ...rowFields(input, i), column: 'date', value: date });
  }
};
