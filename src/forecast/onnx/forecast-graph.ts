import { invalidParam } from '../../core/index.js';
import { DOUBLE, FLOAT, GraphBuilder } from './graph-builder.js';

/** Graph input: raw closes, oldest first, one window per row. */
export const INPUT_NAME = 'closes';
/** Graph output: the predicted next close in price units. */
export const OUTPUT_NAME = 'next_close';
/** The dynamic batch dimension's name. */
export const BATCH_DIM = 'N';

/**
 * One forecasting graph: `closes` float32 [N, windowSize] -> `next_close` float32 [N, 1].
 * `core` receives the closes cast to float64 (so scaling and the target transform lose no precision
 * beyond the float32 input) and returns the next close as a float64 [N, 1] value.
 */
export function buildForecastModel(
  name: string,
  windowSize: number,
  core: (b: GraphBuilder, closes: string) => string,
): Uint8Array {
  if (!Number.isInteger(windowSize) || windowSize < 2) {
    throw invalidParam(`windowSize must be an integer >= 2, got ${windowSize}.`);
  }
  const b = new GraphBuilder();
  const closes = b.op('Cast', [INPUT_NAME], { to: DOUBLE });
  const next = core(b, closes);
  b.output(b.op('Cast', [next], { to: FLOAT }), OUTPUT_NAME);
  return b.encode(name, input(windowSize), {
    name: OUTPUT_NAME,
    elemType: FLOAT,
    dims: [BATCH_DIM, 1],
  });
}

function input(windowSize: number) {
  return { name: INPUT_NAME, elemType: FLOAT, dims: [BATCH_DIM, windowSize] };
}
