import { robustSigma } from '../robust-sigma.js';
import { rowFields, rowLabel } from '../row-label.js';
import type { Rule } from './rule.js';

/** Fewer returns than this give no meaningful spread. */
const MIN_RETURNS = 10;

/**
 * Warns on daily log returns of Close more than `outlierSigmas` robust sigmas from their median
 * (sigma = 1.4826 x MAD). Such days are often data errors (a missed split, a typo) and otherwise
 * real crashes worth knowing about; either way they dominate a squared-error loss.
 */
export const returnOutliers: Rule = (input, options, sink) => {
  const returns: { i: number; r: number }[] = [];
  for (let i = 1; i < input.bars.length; i++) {
    const r = Math.log((input.bars[i]?.close ?? Number.NaN) / (input.bars[i - 1]?.close ?? 0));
    if (Number.isFinite(r)) returns.push({ i, r });
  }
  if (returns.length < MIN_RETURNS) return;
  const { center, sigma } = robustSigma(returns.map(({ r }) => r));
  if (!(sigma > 0)) return; // flat prices: every move would be infinitely many sigmas
  const limit = options.outlierSigmas;
  for (const { i, r } of returns) {
    const z = Math.abs(r - center) / sigma;
    if (z <= limit) continue;
    sink.add('return-outliers', {
      message: `${rowLabel(input, i)}: log return ${r.toFixed(4)} is ${z.toFixed(1)} robust sigmas from the median (limit ${limit}, sigma ${sigma.toFixed(4)})`,
      ...rowFields(input, i),
      column: 'close',
      value: Number(r.toFixed(6)),
    });
  }
};
