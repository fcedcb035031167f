import { invalidParam } from '../../core/index.js';

/**
 * The metrics the gate can rank by, each with its better direction. Error metrics (price units,
 * or percent for mape) are better lower; directional accuracy and skill (already relative to
 * persistence) are better higher.
 */
export const GATE_METRICS = {
  rmse: 'lower',
  mae: 'lower',
  mape: 'lower',
  directional_accuracy: 'higher',
  skill: 'higher',
} as const satisfies Record<string, 'lower' | 'higher'>;

export type GateMetric = keyof typeof GATE_METRICS;

export function isGateMetric(value: unknown): value is GateMetric {
  return typeof value === 'string' && Object.hasOwn(GATE_METRICS, value);
}

export function parseGateMetric(value: unknown, field = 'metric'): GateMetric {
  if (isGateMetric(value)) return value;
  throw invalidParam(
    `${field} must be one of ${Object.keys(GATE_METRICS).join(', ')}; got ${JSON.stringify(value) ?? 'nothing'}.`,
    { field },
  );
}

/** < 0 when `a` is better than `b` by `metric`; a non-finite score is worse than any finite one. */
export function compareScores(metric: GateMetric, a: number, b: number): number {
  const fa = Number.isFinite(a);
  const fb = Number.isFinite(b);
  if (!fa || !fb) return fa === fb ? 0 : fa ? -1 : 1;
  return GATE_METRICS[metric] === 'lower' ? a - b : b - a;
}

/**
 * How much `challenger` beats `holder`, the number `min_improvement` is compared with (> 0 means
 * better). Error metrics: relative to the holder's error, (holder - challenger) / holder, so 0.01
 * asks for a 1% lower error. Skill and directional accuracy are ratios already (skill is relative
 * to persistence, whose skill is 0, so a relative change would divide by zero): their
 * improvement is the difference, challenger - holder.
 */
export function improvementOver(metric: GateMetric, holder: number, challenger: number): number {
  if (!Number.isFinite(challenger)) return Number.NEGATIVE_INFINITY;
  if (!Number.isFinite(holder)) return Number.POSITIVE_INFINITY;
  if (GATE_METRICS[metric] === 'higher') return challenger - holder;
  if (holder === challenger) return 0;
  if (holder === 0) return Number.NEGATIVE_INFINITY; // nothing beats an exact holder
  return (holder - challenger) / Math.abs(holder);
}
