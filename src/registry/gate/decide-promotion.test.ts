import { describe, expect, it } from 'vitest';
import { decidePromotion, type PromotionInput } from './decide-promotion.js';

const base = { metric: 'rmse', minImprovement: 0, alias: 'champion' } as const;
const scored = (pairs: Record<string, number>) =>
  Object.entries(pairs).map(([version, score]) => ({ version, score }));

describe('decidePromotion', () => {
  it('promotes a winner that beats the holder by more than min_improvement', () => {
    const d = decidePromotion({
      ...base,
      minImprovement: 0.01,
      holder: '1',
      persistence: '2',
      scored: scored({ '1': 2.0, '2': 2.1, '3': 1.9 }),
    });
    expect(d).toMatchObject({
      outcome: 'promoted',
      aliasBefore: '1',
      aliasAfter: '3',
      moves: true,
    });
    expect(d.winner).toBe('3');
    expect(d.improvement).toBeCloseTo(0.05, 12);
    expect(d.ranking.map((s) => s.version)).toEqual(['3', '1', '2']);
    expect(d.reasons[0]).toMatch(
      /^Promoted: v3 \(rmse 1\.9\) beats the holder v1 \(rmse 2\) by 5%/,
    );
    expect(d.reasons.slice(1)).toEqual([
      "The holder v1 (rmse 2) is not better than v3: it loses 'champion'.",
      'v2 (persistence, rmse 2.1) is not better than v3: not promoted.',
    ]);
  });

  it('keeps the holder when the winner is better by no more than min_improvement', () => {
    const d = decidePromotion({
      ...base,
      minImprovement: 0.05,
      holder: '1',
      scored: scored({ '1': 2.0, '3': 1.9 }),
    });
    expect(d).toMatchObject({ outcome: 'kept', aliasAfter: '1', moves: false, winner: '3' });
    expect(d.reasons[0]).toContain('not more than min_improvement 5%');
  });

  it('keeps the holder on a tie, even with min_improvement 0', () => {
    const d = decidePromotion({ ...base, holder: '1', scored: scored({ '3': 2.0, '1': 2.0 }) });
    expect(d).toMatchObject({ outcome: 'kept', aliasAfter: '1', moves: false, winner: '1' });
    expect(d.ranking[0]?.version).toBe('1');
  });

  it('refuses a candidate worse than the holder', () => {
    const d = decidePromotion({
      ...base,
      holder: '1',
      persistence: '2',
      scored: scored({ '1': 2.0, '2': 2.2, '4': 2.5 }),
    });
    expect(d).toMatchObject({ outcome: 'kept', aliasAfter: '1', moves: false, winner: '1' });
    expect(d.reasons[0]).toMatch(/^Kept: the holder v1/);
    expect(d.reasons).toContain('v4 (rmse 2.5) is not better than v1: not promoted.');
  });

  it('gives the alias to the best version when no version holds it', () => {
    const d = decidePromotion({ ...base, persistence: '1', scored: scored({ '1': 3, '2': 2.5 }) });
    expect(d).toMatchObject({ outcome: 'promoted', aliasAfter: '2', moves: true, winner: '2' });
    expect(d.aliasBefore).toBeUndefined();
  });

  it('lets persistence win: the alias never lands on a model worse than the naive forecast', () => {
    const d = decidePromotion({
      ...base,
      holder: '2',
      persistence: '1',
      scored: scored({ '1': 2.0, '2': 2.3, '3': 2.1 }),
    });
    expect(d).toMatchObject({ outcome: 'promoted', aliasAfter: '1', winner: '1' });
    expect(d.reasons[0]).toMatch(
      /v1 \(persistence, rmse 2\) beats .*: no model beats the naive forecast/,
    );
    const fresh = decidePromotion({
      ...base,
      persistence: '1',
      scored: scored({ '1': 2, '3': 2 }),
    });
    expect(fresh.aliasAfter).toBe('1'); // a tie with no holder goes to the simpler model
  });

  it('moves the alias where --force says, recorded as forced, with what the gate would have done', () => {
    const d = decidePromotion({
      ...base,
      holder: '1',
      force: '4',
      scored: scored({ '1': 2.0, '4': 2.5 }),
    });
    expect(d).toMatchObject({ outcome: 'forced', aliasBefore: '1', aliasAfter: '4', moves: true });
    expect(d.reasons[0]).toBe("Forced: 'champion' set to v4 regardless of the scores.");
    expect(d.reasons[1]).toMatch(/^without --force: Kept: the holder v1/);
  });

  it('refuses to judge on too few rows, and nothing moves', () => {
    const d = decidePromotion({
      ...base,
      holder: '1',
      scored: [],
      rows: { count: 12, min: 20 },
    });
    expect(d).toMatchObject({ outcome: 'refused', aliasAfter: '1', moves: false, ranking: [] });
    expect(d.reasons[0]).toMatch(/only 12 comparison rows \(the gate needs at least 20/);
    const forced = decidePromotion({
      ...base,
      scored: [],
      rows: { count: 0, min: 20 },
      force: '2',
    });
    expect(forced).toMatchObject({ outcome: 'forced', aliasAfter: '2', moves: true });
  });

  it('ranks by the metric direction: higher skill wins, improvement is a difference', () => {
    const d = decidePromotion({
      metric: 'skill',
      minImprovement: 0.01,
      holder: '1',
      scored: scored({ '1': 0, '2': 0.02 }),
    });
    expect(d).toMatchObject({ outcome: 'promoted', aliasAfter: '2' });
    expect(d.improvement).toBeCloseTo(0.02, 12);
  });

  it('never promotes a version without a finite score', () => {
    const d = decidePromotion({
      ...base,
      holder: '1',
      scored: scored({ '1': 2, '2': Number.NaN }),
    });
    expect(d).toMatchObject({ outcome: 'kept', aliasAfter: '1' });
    expect(d.reasons).toContain('v2 has no finite rmse on these rows: not promoted.');
    const none = decidePromotion({ ...base, scored: scored({ '2': Number.NaN }) });
    expect(none).toMatchObject({ outcome: 'refused', moves: false });
  });

  it('refuses inconsistent input with a clear error', () => {
    const bad = (input: Partial<PromotionInput>) => () =>
      decidePromotion({ ...base, scored: scored({ '1': 1 }), ...input });
    expect(bad({ minImprovement: -0.1 })).toThrow(/min_improvement must be a number >= 0/);
    expect(bad({ holder: '9' })).toThrow(/holder v9 is not among the scored versions/);
    expect(bad({ scored: scored({ '1': 1 }).concat(scored({ '1': 2 })) })).toThrow(
      /Version 1 is scored twice/,
    );
  });
});
