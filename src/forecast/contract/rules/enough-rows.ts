import type { Rule } from './rule.js';

/**
 * Enough rows for the model: one input window plus `minRowsBeyondWindow` rows for training windows
 * and test rows (default 60 + 30 = 90). Fewer would train on a handful of windows or test on none.
 */
export const enoughRows: Rule = (input, options, sink) => {
  const { windowSize, minRowsBeyondWindow } = options;
  const needed = windowSize + minRowsBeyondWindow;
  const found = input.bars.length;
  if (found >= needed) return;
  const what = found === 0 ? 'found no data rows (only a header?)' : `found ${found}`;
  sink.add('enough-rows', {
    message: `needs at least ${needed} rows (window ${windowSize} + ${minRowsBeyondWindow} for training windows and test rows), ${what}`,
    value: found,
  });
};
