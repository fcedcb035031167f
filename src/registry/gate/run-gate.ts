import { decidePromotion, type PromotionDecision, type ScoredVersion } from './decide-promotion.js';
import type { GateConfig } from './gate-config.js';
import type { GateRole } from './gate-record.js';

/** A version to judge and why it is judged. */
export interface GateEntrant {
  readonly version: string;
  readonly roles: readonly GateRole[];
}

/** Metrics of one version on the comparison rows, by name (the config's metric among them). */
export type GateEvaluation = Readonly<Record<string, number>>;

export interface RunGateInput {
  readonly config: GateConfig;
  readonly entrants: readonly GateEntrant[];
  /** How many comparison rows there are; fewer than `config.minRows` and nothing is evaluated. */
  readonly rows: number;
  readonly force?: string;
  /** Scores one version on the comparison rows; the gate runs no model itself. */
  readonly evaluate: (version: string) => Promise<GateEvaluation>;
}

export interface GateResult {
  readonly decision: PromotionDecision;
  /** Version -> its metrics, for every entrant evaluated (none when refused for rows). */
  readonly evaluations: ReadonlyMap<string, GateEvaluation>;
}

/**
 * Evaluates every entrant once (a version in two roles is scored once) and decides. Versions
 * are evaluated one at a time: each may hold a native session, and there are a handful.
 */
export async function runGate(input: RunGateInput): Promise<GateResult> {
  const { config } = input;
  const holder = input.entrants.find((e) => e.roles.includes('holder'))?.version;
  const persistence = input.entrants.find((e) => e.roles.includes('persistence'))?.version;
  const evaluations = new Map<string, GateEvaluation>();
  if (input.rows >= config.minRows) {
    for (const { version } of input.entrants) {
      if (!evaluations.has(version)) evaluations.set(version, await input.evaluate(version));
    }
  }
  const scored: ScoredVersion[] = [...evaluations].map(([version, metrics]) => ({
    version,
    score: metrics[config.metric] ?? Number.NaN,
  }));
  const decision = decidePromotion({
    metric: config.metric,
    minImprovement: config.minImprovement,
    alias: config.alias,
    scored,
    rows: { count: input.rows, min: config.minRows },
    ...(holder === undefined ? {} : { holder }),
    ...(persistence === undefined ? {} : { persistence }),
    ...(input.force === undefined ? {} : { force: input.force }),
  });
  return { decision, evaluations };
}
