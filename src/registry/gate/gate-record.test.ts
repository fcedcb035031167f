import { describe, expect, it } from 'vitest';
import { RegistryLimits } from '../validation.js';
import {
  GateTags,
  encodeGateRecord,
  gateTags,
  newGateId,
  parseGateRecord,
  type GateRecord,
} from './gate-record.js';
import { runGate } from './run-gate.js';
import { DEFAULT_GATE_CONFIG } from './gate-config.js';

const record: GateRecord = {
  id: '20261127T091530Z-00ff',
  decided_at: '2026-11-27T09:15:30.000Z',
  model: 'stock-forecast',
  alias: 'champion',
  metric: 'rmse',
  min_improvement: 0,
  min_rows: 20,
  outcome: 'promoted',
  forced: false,
  alias_before: null,
  alias_after: '2',
  winner: '2',
  improvement: null,
  reasons: ['Promoted: ...'],
  rows: { count: 30, after: '2020-01-31', first_date: '2020-02-03', last_date: '2020-03-13' },
  data: { source: 'data/prices.csv', sha256: 'a'.repeat(64) },
  versions: [
    { version: '1', roles: ['persistence'], score: 2.5, metrics: { rmse: 2.5 } },
    { version: '2', roles: ['candidate'], score: 2.25, metrics: { rmse: 2.25 } },
  ],
};

describe('gate record', () => {
  it('names decisions by time and a random suffix', () => {
    expect(newGateId(new Date('2026-11-27T09:15:30.123Z'), 255 / 0x10000)).toBe(
      '20261127T091530Z-00ff',
    );
  });

  it('tags every judged version with the record, its score and the last decision id', () => {
    const tags = gateTags(record);
    const v2 = Object.fromEntries((tags.versions.get('2') ?? []).map((t) => [t.key, t.value]));
    expect(v2[GateTags.score(record.id)]).toBe('2.25');
    expect(v2[GateTags.last]).toBe(record.id);
    expect(parseGateRecord(v2[GateTags.record(record.id)] ?? '')).toEqual(record);
    expect(tags.model).toContainEqual({ key: 'mlops.gate.last.champion', value: record.id });
  });

  it('fits a big record into one tag value, keeping the deciding reason', () => {
    const big: GateRecord = {
      ...record,
      reasons: [
        'the deciding one',
        ...Array.from({ length: 200 }, (_, i) => `reason ${i} `.repeat(5)),
      ],
      versions: Array.from({ length: 40 }, (_, i) => ({
        version: String(i + 1),
        roles: ['candidate'] as const,
        score: i,
        metrics: { rmse: i, mae: i, mape: i, skill: i, directional_accuracy: i },
      })),
    };
    const text = encodeGateRecord(big);
    expect(text.length).toBeLessThanOrEqual(RegistryLimits.tagValueLength);
    const back = parseGateRecord(text);
    expect(back.reasons[0]).toBe('the deciding one');
    expect(back.versions).toHaveLength(40);
  });

  it('refuses text that is not a record', () => {
    expect(() => parseGateRecord('{', 'tag mlops.gate.x')).toThrow(/tag mlops.gate.x is not JSON/);
    expect(() => parseGateRecord('{"id":1}')).toThrow(/not a gate record/);
  });
});

describe('runGate', () => {
  it('evaluates each version once and decides on the configured metric', async () => {
    const calls: string[] = [];
    const { decision, evaluations } = await runGate({
      config: DEFAULT_GATE_CONFIG,
      rows: 30,
      entrants: [
        { version: '1', roles: ['holder', 'persistence'] },
        { version: '2', roles: ['candidate'] },
      ],
      evaluate: async (v) => {
        calls.push(v);
        return { rmse: v === '2' ? 1 : 2 };
      },
    });
    expect(calls).toEqual(['1', '2']);
    expect(evaluations.size).toBe(2);
    expect(decision).toMatchObject({ outcome: 'promoted', aliasBefore: '1', aliasAfter: '2' });
  });

  it('evaluates nothing on too few rows', async () => {
    const { decision, evaluations } = await runGate({
      config: DEFAULT_GATE_CONFIG,
      rows: 3,
      entrants: [{ version: '1', roles: ['candidate'] }],
      evaluate: () => Promise.reject(new Error('must not run')),
    });
    expect(evaluations.size).toBe(0);
    expect(decision.outcome).toBe('refused');
  });
});
