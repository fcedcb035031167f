/**
 * The candidates of the selection study. Every param is spelled out (none is taken from the
 * current defaults), so the study gives the same numbers after the defaults change.
 */
import type { RawParams } from '../src/forecast/index.js';

export type StudyModel = 'lstm' | 'linear';

export interface Candidate {
  readonly kind: StudyModel;
  readonly name: string;
  readonly params: RawParams & { readonly window: number };
  /** Shown for comparison, never chosen (see docs/model-selection.md). */
  readonly reference?: boolean;
  /** Lower is simpler; the tie-break among near-equal validation skills. */
  readonly complexity: number;
}

/** Seeds every LSTM candidate is trained with; its score is the median over them. */
export const LSTM_SEEDS = [1, 2] as const;

/** Training settings shared by the log-return candidates (the provisional defaults). */
const LSTM_TRAINING = { dropout: 0.1, learningRate: 1e-3, batchSize: 32, epochs: 30, patience: 5 };

/** Trainable weights of `layers` stacked LSTM(units) on one feature plus a dense head. */
export function lstmWeightCount(units: number, layers: number): number {
  let count = 0;
  let inputs = 1;
  for (let l = 0; l < layers; l++) {
    count += 4 * units * (inputs + units + 1);
    inputs = units;
  }
  return count + units + 1;
}

function lstm(window: number, units: number, layers: number): Candidate {
  return {
    kind: 'lstm',
    name: `lstm w${window} u${units} l${layers}`,
    params: { target: 'log_return', window, units, layers, ...LSTM_TRAINING },
    // Weights first, then the window (a shorter window is simpler at equal weights).
    complexity: lstmWeightCount(units, layers) * 1000 + window,
  };
}

export function lstmCandidates(): Candidate[] {
  const grid: Candidate[] = [];
  for (const window of [20, 30, 60]) {
    for (const units of [16, 32]) grid.push(lstm(window, units, 1));
  }
  grid.push(lstm(30, 32, 2));
  grid.push({
    kind: 'lstm',
    name: 'classic: close_minmax w60 u50 l2',
    params: {
      target: 'close_minmax',
      window: 60,
      units: 50,
      layers: 2,
      dropout: 0.2,
      learningRate: 1e-3,
      batchSize: 32,
      epochs: 50,
      patience: 5,
    },
    reference: true,
    complexity: lstmWeightCount(50, 2) * 1000 + 60,
  });
  return grid;
}

export function linearCandidates(): Candidate[] {
  const grid: Candidate[] = [];
  const alphas = [0.1, 1, 10, 100, 1000];
  for (const window of [10, 20, 30, 60]) {
    for (const [k, alpha] of alphas.entries()) {
      grid.push({
        kind: 'linear',
        name: `linear w${window} a${alpha}`,
        params: { target: 'log_return', window, alpha },
        // Fewer inputs first, then stronger shrinkage (a larger alpha is the simpler model).
        complexity: window * 100 + (alphas.length - k),
      });
    }
  }
  return grid;
}
