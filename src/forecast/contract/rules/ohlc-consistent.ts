import { rowFields, rowLabel } from '../row-label.js';
import type { Rule } from './rule.js';

/** Low <= Open <= High and Low <= Close <= High on every row; one issue per row naming each break. */
export const ohlcConsistent: Rule = (input, _options, sink) => {
  input.bars.forEach((bar, i) => {
    const { open, high, low, close } = bar;
    const breaks: [string, string][] = [];
    if (low > high) breaks.push(['low', `Low ${low} > High ${high}`]);
    if (open > high) breaks.push(['open', `Open ${open} > High ${high}`]);
    if (open < low) breaks.push(['open', `Open ${open} < Low ${low}`]);
    if (close > high) breaks.push(['close', `Close ${close} > High ${high}`]);
    if (close < low) breaks.push(['close', `Close ${close} < Low ${low}`]);
    const first = breaks[0];
    if (first === undefined) return;
    sink.add('ohlc-consistent', {
      message: `${rowLabel(input, i)}: ${breaks.map(([, text]) => text).join('; ')}; expected Low <= Open, Close <= High`,
      ...rowFields(input, i),
      column: first[0],
      value: bar[first[0] as 'open' | 'low' | 'close'],
    });
  });
};
