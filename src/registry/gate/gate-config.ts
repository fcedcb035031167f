import { invalidParam } from '../../core/index.js';
import { validateAlias } from '../validation.js';
import { GATE_METRICS, isGateMetric, type GateMetric } from './gate-metrics.js';

/** The gate's settings: the `gate:` mapping of params.yaml, snake_case there. */
export interface GateConfig {
  /** What the versions are ranked by (see `GATE_METRICS`). */
  readonly metric: GateMetric;
  /** How much the winner must beat the alias holder by (see `improvementOver`); >= 0. */
  readonly minImprovement: number;
  /** Fewer comparison rows than this and the gate refuses to judge; >= 1. */
  readonly minRows: number;
  /** The alias the gate moves. */
  readonly alias: string;
}

/** Twenty rows: fewer, and one lucky week decides; persistence's RMSE alone is noise. */
export const DEFAULT_GATE_CONFIG: GateConfig = Object.freeze({
  metric: 'rmse',
  minImprovement: 0,
  minRows: 20,
  alias: 'champion',
});

const KEYS = ['metric', 'min_improvement', 'min_rows', 'alias'] as const;

/**
 * The `gate:` mapping (`{metric: rmse, min_improvement: 0, min_rows: 20, alias: champion}`, every
 * key optional) on top of the defaults. `where` names the source in errors, e.g. `params.yaml`.
 */
export function parseGateConfig(value: unknown, where = 'gate'): GateConfig {
  if (value === undefined || value === null) return DEFAULT_GATE_CONFIG;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParam(
      `${where} must be a mapping with ${KEYS.join(', ')}; got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}.`,
      { field: where },
    );
  }
  const raw = value as Record<string, unknown>;
  const unknown = Object.keys(raw).find((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown !== undefined) {
    throw invalidParam(`${where}: unknown key '${unknown}' (expected ${KEYS.join(', ')}).`, {
      field: `${where}.${unknown}`,
    });
  }
  return Object.freeze({
    metric: pick(raw, 'metric', DEFAULT_GATE_CONFIG.metric, where, {
      ok: isGateMetric,
      expected: `one of ${Object.keys(GATE_METRICS).join(', ')}`,
    }),
    minImprovement: pick(raw, 'min_improvement', 0, where, {
      ok: (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0,
      expected: 'a number >= 0 (0.01 = 1%)',
    }),
    minRows: pick(raw, 'min_rows', DEFAULT_GATE_CONFIG.minRows, where, {
      ok: (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1,
      expected: 'an integer >= 1',
    }),
    alias: pick(raw, 'alias', DEFAULT_GATE_CONFIG.alias, where, {
      ok: isAlias,
      expected: 'an alias name (letters, digits, _ and -)',
    }),
  });
}

/** The key's value when `rule.ok` accepts it, else an error saying what was expected. */
function pick<T>(
  raw: Record<string, unknown>,
  key: (typeof KEYS)[number],
  fallback: T,
  where: string,
  rule: { ok: (value: unknown) => value is T; expected: string },
): T {
  const value = raw[key];
  if (value === undefined || value === null) return fallback;
  if (rule.ok(value)) return value;
  throw invalidParam(`${where}.${key} must be ${rule.expected}; got ${JSON.stringify(value)}.`, {
    field: `${where}.${key}`,
  });
}

function isAlias(value: unknown): value is string {
  try {
    validateAlias(value);
    return true;
  } catch {
    return false;
  }
}
