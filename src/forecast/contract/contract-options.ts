import { invalidParam } from '../../core/index.js';

/** Thresholds of the data contract; every one has a default. */
export interface ContractOptions {
  /** Days in a model input window (default 60). */
  readonly windowSize?: number;
  /** Rows needed beyond one window for training windows and test rows (default 30). */
  readonly minRowsBeyondWindow?: number;
  /** Warn when consecutive dates are more than this many business days apart (default 5). */
  readonly maxGapBusinessDays?: number;
  /** Warn when a daily log return is more than this many robust sigmas from the median (default 10). */
  readonly outlierSigmas?: number;
  /** Issues listed per rule; the rest are counted (default 20). */
  readonly maxIssuesPerRule?: number;
}

export type ResolvedContractOptions = Readonly<Required<ContractOptions>>;

export const DEFAULT_CONTRACT_OPTIONS: ResolvedContractOptions = Object.freeze({
  windowSize: 60,
  minRowsBeyondWindow: 30,
  maxGapBusinessDays: 5,
  outlierSigmas: 10,
  maxIssuesPerRule: 20,
});

const INTEGER_MIN: Readonly<Record<keyof ContractOptions, number | undefined>> = {
  windowSize: 1,
  minRowsBeyondWindow: 0,
  maxGapBusinessDays: 1,
  maxIssuesPerRule: 1,
  outlierSigmas: undefined, // any positive number
};

/** Fills in defaults and rejects nonsense thresholds, naming the option. */
export function resolveContractOptions(options: ContractOptions = {}): ResolvedContractOptions {
  const resolved = { ...DEFAULT_CONTRACT_OPTIONS };
  for (const key of Object.keys(INTEGER_MIN) as (keyof ContractOptions)[]) {
    const value = options[key];
    if (value === undefined) continue;
    const min = INTEGER_MIN[key];
    const fine =
      min === undefined
        ? Number.isFinite(value) && value > 0
        : Number.isInteger(value) && value >= min;
    if (!fine) {
      const expected = min === undefined ? 'a positive number' : `an integer >= ${min}`;
      throw invalidParam(`Data contract option ${key} must be ${expected}, got ${value}.`, {
        option: key,
      });
    }
    resolved[key] = value;
  }
  return Object.freeze(resolved);
}
