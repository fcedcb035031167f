import type { Candidate } from './candidates.js';

/** Near-ties: candidates within this much validation skill of the best count as equal. */
export const NEAR_TIE = 0.001;

export interface Scored {
  readonly candidate: Candidate;
  /** Median validation skill over the seeds (the value itself for a deterministic model). */
  readonly skill: number;
}

/**
 * The rule of the study: the highest median validation skill among the eligible candidates
 * (references are shown, not chosen); among those within NEAR_TIE of it, the simplest.
 */
export function chooseCandidate<S extends Scored>(scored: readonly S[]): { chosen: S; best: S } {
  const eligible = scored.filter((s) => !s.candidate.reference && Number.isFinite(s.skill));
  const best = eligible.reduce<S | undefined>(
    (b, s) => (b && b.skill >= s.skill ? b : s),
    undefined,
  );
  if (!best) throw new Error('no eligible candidate has a finite validation skill');
  const near = eligible.filter((s) => s.skill >= best.skill - NEAR_TIE);
  const chosen = near.reduce((c, s) => (s.candidate.complexity < c.candidate.complexity ? s : c));
  return { chosen, best };
}
