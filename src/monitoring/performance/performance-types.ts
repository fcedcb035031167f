/**
 * One scored prediction: what the model said, what happened, and what the naive baseline said
 * (for forecasting, persistence: the last known value). The monitoring module knows no
 * forecasting; the application layer fills `baseline`.
 */
export interface ScoredPrediction {
  /** Epoch ms of the prediction, for windows over time. */
  readonly timestamp: number;
  /** Optional label for charts (e.g. the target date). */
  readonly label?: string;
  readonly predicted: number;
  readonly actual: number;
  readonly baseline?: number;
}

export interface RegressionScores {
  readonly count: number;
  readonly mae: number;
  readonly rmse: number;
  /** Mean absolute percentage error, as a fraction (0.012 = 1.2 %); null when an actual is 0. */
  readonly mape: number | null;
  /** 1 - RMSE / RMSE(baseline); null without baselines. */
  readonly skill: number | null;
  readonly baselineRmse: number | null;
  /** Mean of predicted - actual. */
  readonly meanError: number;
}

export interface PerformanceWindow extends RegressionScores {
  readonly start: number;
  readonly end: number;
  readonly startLabel?: string;
  readonly endLabel?: string;
}

export interface RegressionPerformance {
  readonly overall: RegressionScores;
  readonly windows: readonly PerformanceWindow[];
  /** The scores recorded at registration (holdout), to compare with; absent when unknown. */
  readonly registered?: Partial<Pick<RegressionScores, 'mae' | 'rmse' | 'mape' | 'skill'>>;
  /** overall - registered per metric, where both exist. */
  readonly change?: Partial<Record<'mae' | 'rmse' | 'mape' | 'skill', number>>;
  /** Rows that had no actual yet (not scored). */
  readonly unscored: number;
  /** Why a metric is missing (no scored rows, a zero actual for MAPE, no baselines, …). */
  readonly problems?: readonly string[];
}
