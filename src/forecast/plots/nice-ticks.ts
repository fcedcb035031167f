export interface NiceTicks {
  /** Tick values: integer multiples of `step` inside [min, max]. */
  readonly ticks: readonly number[];
  readonly step: number;
  /** The domain widened to whole steps (for a y axis that starts and ends on a tick). */
  readonly niceMin: number;
  readonly niceMax: number;
  /** Ticks over [niceMin, niceMax], first and last included. */
  readonly niceDomainTicks: readonly number[];
}

/**
 * About `target` round ticks (steps of 1, 2 or 5 x 10^k) covering [min, max]. Ticks are computed
 * as i * step from integers, so no floating drift accumulates. `integer` keeps steps >= 1.
 */
export function niceTicks(min: number, max: number, target = 5, integer = false): NiceTicks {
  if (!(max > min)) {
    const pad = Math.abs(min) * 0.05 || 1;
    return niceTicks(min - pad, max + pad, target, integer);
  }
  const raw = (max - min) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  let step = (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const lo = Math.floor(min / step + 1e-9);
  const hi = Math.ceil(max / step - 1e-9);
  // + 0 turns -0 into 0.
  const range = (a: number, b: number): number[] =>
    Array.from({ length: b - a + 1 }, (_, k) => (a + k) * step + 0);
  return {
    ticks: range(first, last),
    step,
    niceMin: lo * step + 0,
    niceMax: hi * step + 0,
    niceDomainTicks: range(lo, hi),
  };
}
