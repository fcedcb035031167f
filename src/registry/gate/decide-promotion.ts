import { invalidParam } from '../../core/index.js';
import { GATE_METRICS, compareScores, improvementOver, type GateMetric } from './gate-metrics.js';

/**
 * Float noise allowed around min_improvement: an improvement of exactly the minimum computed as
 * 0.05000000000000004 is still "not more than" it.
 */
const TOLERANCE = 1e-12;

/** One judged version's score on the comparison rows (NaN when it could not be scored). */
export interface ScoredVersion {
  readonly version: string;
  readonly score: number;
}

export interface PromotionInput {
  readonly metric: GateMetric;
  /** See `improvementOver`; >= 0. Ties never move the alias, whatever this is. */
  readonly minImprovement: number;
  /** For messages; default 'champion'. */
  readonly alias?: string;
  /** The version the alias points at now, when it points anywhere (must be in `scored`). */
  readonly holder?: string;
  /** The persistence version (the naive forecast): preferred on ties after the holder. */
  readonly persistence?: string;
  /** Every judged version, scored on the same rows. */
  readonly scored: readonly ScoredVersion[];
  /** Move the alias to this version whatever the scores say (recorded as forced). */
  readonly force?: string;
  /** The comparison rows and the least the gate judges on: fewer, and nothing moves. */
  readonly rows?: { readonly count: number; readonly min: number };
}

/**
 * promoted: the alias moves to the winner; kept: it stays with the holder; forced: it moves to
 * the forced version; refused: the gate could not judge (too few rows, nothing scorable).
 */
export type PromotionOutcome = 'promoted' | 'kept' | 'forced' | 'refused';

export interface PromotionDecision {
  readonly outcome: PromotionOutcome;
  readonly aliasBefore?: string;
  readonly aliasAfter?: string;
  /** The alias points at another version than before. */
  readonly moves: boolean;
  /** The best version by the metric (absent when refused). */
  readonly winner?: string;
  /** `improvementOver(holder, winner)` when both exist and differ. */
  readonly improvement?: number;
  /** Best first; ties: the holder, then persistence, then the older version. */
  readonly ranking: readonly ScoredVersion[];
  /** Why, in sentences, first the deciding one. */
  readonly reasons: readonly string[];
}

/**
 * The promotion gate's rule (pure; the caller scores the versions). The best version by the
 * metric wins; the alias moves once, to the winner, and only when the winner beats the holder
 * by more than `minImprovement` (ties keep the holder); with no holder the winner takes the
 * alias. Persistence is judged like any version, so the alias never lands on a model worse than
 * the naive forecast on these rows (unless forced).
 */
export function decidePromotion(input: PromotionInput): PromotionDecision {
  checkInput(input);
  const alias = input.alias ?? 'champion';
  const { holder, force } = input;
  const base = { ...(holder === undefined ? {} : { aliasBefore: holder }) };
  const tooFew = input.rows !== undefined && input.rows.count < input.rows.min;
  if (tooFew || input.scored.length === 0) {
    const why = tooFew
      ? `only ${input.rows?.count} comparison rows (the gate needs at least ${input.rows?.min}: rows after the training data of every compared model)`
      : 'no version to judge';
    if (force !== undefined) return forced(input, base, [], `${why}; nothing was scored`);
    return {
      ...base,
      outcome: 'refused',
      ...(holder === undefined ? {} : { aliasAfter: holder }),
      moves: false,
      ranking: [],
      reasons: [
        `Refused: ${why}. '${alias}' stays ${holder === undefined ? 'unset' : `v${holder}`}.`,
      ],
    };
  }
  const ranking = rank(input);
  if (force !== undefined) {
    const { force: _, ...unforcedInput } = input;
    const unforced = decidePromotion(unforcedInput);
    return forced(input, base, ranking, `without --force: ${unforced.reasons[0] ?? ''}`);
  }
  const best = ranking[0] as ScoredVersion;
  const { metric } = input;
  const show = (s: ScoredVersion) =>
    `v${s.version} (${s.version === input.persistence ? 'persistence, ' : ''}${metric} ${formatScore(s.score)})`;
  if (!Number.isFinite(best.score)) {
    return {
      ...base,
      outcome: 'refused',
      ...(holder === undefined ? {} : { aliasAfter: holder }),
      moves: false,
      ranking,
      reasons: [`Refused: no version has a finite ${metric} on the comparison rows.`],
    };
  }
  const naive =
    best.version === input.persistence ? ': no model beats the naive forecast on these rows' : '';
  const decided = { ...base, winner: best.version, ranking };
  if (holder === undefined) {
    return {
      ...decided,
      outcome: 'promoted',
      aliasAfter: best.version,
      moves: true,
      reasons: [
        `Promoted: no version held '${alias}'; ${show(best)} scores best of ${ranking.length}${naive}.`,
        ...beaten(input, ranking, best, show),
      ],
    };
  }
  const held = ranking.find((s) => s.version === holder) as ScoredVersion;
  if (best.version === holder) {
    return {
      ...decided,
      outcome: 'kept',
      aliasAfter: holder,
      moves: false,
      reasons: [
        `Kept: the holder ${show(held)} scores best of ${ranking.length}${naive}.`,
        ...beaten(input, ranking, held, show),
      ],
    };
  }
  const improvement = improvementOver(metric, held.score, best.score);
  const by = formatImprovement(metric, improvement);
  if (improvement > input.minImprovement + TOLERANCE) {
    return {
      ...decided,
      outcome: 'promoted',
      aliasAfter: best.version,
      moves: true,
      improvement,
      reasons: [
        `Promoted: ${show(best)} beats the holder ${show(held)} by ${by} (min_improvement ${formatImprovement(metric, input.minImprovement)})${naive}.`,
        ...beaten(input, ranking, best, show),
      ],
    };
  }
  const tie = Math.abs(improvement) <= TOLERANCE;
  return {
    ...decided,
    outcome: 'kept',
    aliasAfter: holder,
    moves: false,
    improvement,
    reasons: [
      tie
        ? `Kept: ${show(best)} ties the holder ${show(held)}; ties keep the holder.`
        : `Kept: ${show(best)} beats the holder ${show(held)} by ${by}, not more than min_improvement ${formatImprovement(metric, input.minImprovement)}.`,
      ...beaten(input, ranking, held, show),
    ],
  };
}

function forced(
  input: PromotionInput,
  base: { aliasBefore?: string },
  ranking: readonly ScoredVersion[],
  note: string,
): PromotionDecision {
  const target = input.force as string;
  return {
    ...base,
    outcome: 'forced',
    aliasAfter: target,
    moves: target !== input.holder,
    ...(ranking[0] ? { winner: ranking[0].version } : {}),
    ranking,
    reasons: [
      `Forced: '${input.alias ?? 'champion'}' set to v${target} regardless of the scores.`,
      note,
    ],
  };
}

/** One line for each candidate that lost to `keeper` (which took or kept the alias). */
function beaten(
  input: PromotionInput,
  ranking: readonly ScoredVersion[],
  keeper: ScoredVersion,
  show: (s: ScoredVersion) => string,
): string[] {
  return ranking
    .filter(
      (s) =>
        s.version !== keeper.version && compareScores(input.metric, s.score, keeper.score) >= 0,
    )
    .map((s) => {
      if (s.version === input.holder) {
        return `The holder ${show(s)} is not better than v${keeper.version}: it loses '${input.alias ?? 'champion'}'.`;
      }
      return Number.isFinite(s.score)
        ? `${show(s)} is not better than v${keeper.version}: not promoted.`
        : `v${s.version} has no finite ${input.metric} on these rows: not promoted.`;
    });
}

/** Best first; equal scores: the holder, then persistence, then the lower version number. */
function rank(input: PromotionInput): ScoredVersion[] {
  const preference = (v: string) => (v === input.holder ? 0 : v === input.persistence ? 1 : 2);
  return [...input.scored].sort(
    (a, b) =>
      compareScores(input.metric, a.score, b.score) ||
      preference(a.version) - preference(b.version) ||
      Number(a.version) - Number(b.version),
  );
}

function checkInput(input: PromotionInput): void {
  if (!Number.isFinite(input.minImprovement) || input.minImprovement < 0) {
    throw invalidParam(`min_improvement must be a number >= 0; got ${input.minImprovement}.`, {
      field: 'min_improvement',
    });
  }
  const versions = new Set<string>();
  for (const s of input.scored) {
    if (versions.has(s.version)) {
      throw invalidParam(`Version ${s.version} is scored twice; judge each version once.`, {
        field: 'scored',
      });
    }
    versions.add(s.version);
  }
  const needsScores = input.scored.length > 0;
  if (needsScores && input.holder !== undefined && !versions.has(input.holder)) {
    throw invalidParam(
      `The holder v${input.holder} is not among the scored versions; the gate compares the holder on the same rows.`,
      { field: 'holder' },
    );
  }
}

export function formatScore(score: number): string {
  return Number.isFinite(score) ? String(Number(score.toPrecision(6))) : String(score);
}

/** `2.5%` for error metrics (relative), `+0.0123` for ratio metrics (a difference). */
export function formatImprovement(metric: GateMetric, value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (GATE_METRICS[metric] === 'lower') return `${Number((value * 100).toPrecision(4))}%`;
  return `${value >= 0 ? '+' : ''}${Number(value.toPrecision(4))}`;
}
