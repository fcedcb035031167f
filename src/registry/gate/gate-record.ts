import { invalidParam } from '../../core/index.js';
import type { KeyValue } from '../../tracking/index.js';
import { RegistryLimits } from '../validation.js';
import type { PromotionOutcome } from './decide-promotion.js';
import type { GateMetric } from './gate-metrics.js';

/** Why a version was judged: a candidate, the alias holder, the naive baseline (or several). */
export type GateRole = 'candidate' | 'holder' | 'persistence';

/** One judged version in the record; `score` is null when it was not scored or not finite. */
export interface GateRecordEntry {
  readonly version: string;
  readonly roles: readonly GateRole[];
  readonly model_kind?: string;
  readonly run_id?: string;
  readonly score: number | null;
  /** Every metric on the comparison rows (rmse, mae, mape, directional_accuracy, skill, n). */
  readonly metrics?: Readonly<Record<string, number>>;
}

/**
 * One gate decision as recorded (JSON, snake_case): on the registered model and on every judged
 * version, in the decision file of the `models/register` stage and in `--json` output.
 */
export interface GateRecord {
  /** `20261127T091530Z-3f9a`: when, plus 4 random hex digits. Names the decision's tags. */
  readonly id: string;
  readonly decided_at: string;
  readonly model: string;
  readonly alias: string;
  readonly metric: GateMetric;
  readonly min_improvement: number;
  readonly min_rows: number;
  readonly outcome: PromotionOutcome;
  readonly forced: boolean;
  readonly alias_before: string | null;
  readonly alias_after: string | null;
  readonly winner: string | null;
  readonly improvement: number | null;
  readonly reasons: readonly string[];
  /** The comparison rows: the dataset's rows dated after `after` (the latest training end). */
  readonly rows: {
    readonly count: number;
    readonly after: string | null;
    readonly first_date: string | null;
    readonly last_date: string | null;
  };
  /** The dataset version the rows come from. */
  readonly data: { readonly source: string; readonly sha256: string };
  readonly versions: readonly GateRecordEntry[];
}

/**
 * Tag keys. On every judged version: `mlops.gate.<id>` (the record's JSON), `mlops.gate.<id>.score`
 * (its score, a number as text, or NaN) and `mlops.gate.last` (the id of the last decision that
 * judged it). On the registered model: `mlops.gate.<id>` (the JSON) and `mlops.gate.last.<alias>`
 * (the id of the last decision about that alias).
 */
export const GateTags = {
  prefix: 'mlops.gate.',
  record: (id: string) => `mlops.gate.${id}`,
  score: (id: string) => `mlops.gate.${id}.score`,
  last: 'mlops.gate.last',
  lastFor: (alias: string) => `mlops.gate.last.${alias}`,
} as const;

/** A new decision id; `random` in [0, 1) (a parameter so tests can fix it). */
export function newGateId(at: Date, random = Math.random()): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const suffix = Math.floor(random * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${stamp}-${suffix}`;
}

/**
 * The record as one tag value: compact JSON within the registry's value limit. A record that
 * does not fit loses the per-version metrics first, then its trailing reasons (the first reason
 * decides and always stays).
 */
export function encodeGateRecord(record: GateRecord): string {
  const limit = RegistryLimits.tagValueLength;
  let text = JSON.stringify(record);
  if (text.length <= limit) return text;
  const lean: GateRecord = {
    ...record,
    versions: record.versions.map(({ metrics: _, ...rest }) => rest),
  };
  text = JSON.stringify(lean);
  for (let keep = record.reasons.length; text.length > limit && keep > 1; keep--) {
    text = JSON.stringify({ ...lean, reasons: record.reasons.slice(0, keep - 1) });
  }
  return text;
}

/** The tags a decision writes: on the registered model and on each judged version. */
export function gateTags(record: GateRecord): {
  readonly model: readonly KeyValue[];
  readonly versions: ReadonlyMap<string, readonly KeyValue[]>;
} {
  const json = encodeGateRecord(record);
  const versions = new Map<string, KeyValue[]>();
  for (const entry of record.versions) {
    versions.set(entry.version, [
      { key: GateTags.record(record.id), value: json },
      { key: GateTags.score(record.id), value: String(entry.score ?? Number.NaN) },
      { key: GateTags.last, value: record.id },
    ]);
  }
  return {
    model: [
      { key: GateTags.record(record.id), value: json },
      { key: GateTags.lastFor(record.alias), value: record.id },
    ],
    versions,
  };
}

/** Reads a record back from its tag value; a clear error when it is not one. */
export function parseGateRecord(text: string, where = 'gate record'): GateRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw invalidParam(`${where} is not JSON: ${String(cause)}.`, { field: where });
  }
  const r = value as Partial<GateRecord> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.id !== 'string' ||
    typeof r.outcome !== 'string' ||
    !Array.isArray(r.versions)
  ) {
    throw invalidParam(`${where} is not a gate record (expected id, outcome and versions).`, {
      field: where,
    });
  }
  return r as GateRecord;
}
