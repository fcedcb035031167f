/** Which prediction route answered the request. */
export type InferenceRoute = 'predict' | 'invocations';

/** One logged prediction (one row of inference_log). */
export interface InferenceRecord {
  /** Unique, uuid-like. */
  readonly predictionId: string;
  /** Epoch ms the request arrived. */
  readonly timestamp: number;
  readonly modelName: string;
  readonly modelVersion: string;
  /** Last date given in the request (YYYY-MM-DD), if any. */
  readonly inputDate?: string;
  /** Business day predicted (YYYY-MM-DD), if known. */
  readonly targetDate?: string;
  /** 1 = next close; k for the k-th recursive step. */
  readonly horizonStep: number;
  /** The window of closes used. */
  readonly inputs: readonly number[];
  readonly prediction: number;
  readonly latencyMs: number;
  readonly route: InferenceRoute;
}

/** An observed actual, joined to predictions by prediction id or by (model name, target date). */
export interface FeedbackRecord {
  readonly feedbackId: string;
  /** Epoch ms the feedback was recorded. */
  readonly timestamp: number;
  /** One of predictionId / targetDate is required. */
  readonly predictionId?: string;
  readonly targetDate?: string;
  /** Restricts a by-date feedback to one model; without it, it joins every model's predictions for that day. */
  readonly modelName?: string;
  readonly actual: number;
}

export interface InferenceQuery {
  readonly modelName?: string;
  readonly modelVersion?: string;
  /** Timestamp bounds in epoch ms, [since, until). */
  readonly since?: number;
  readonly until?: number;
  /**
   * Rows come oldest first (by timestamp, then horizon step); with a limit, the newest `limit`
   * rows, still oldest first.
   */
  readonly limit?: number;
}

/**
 * A prediction with its actual, when feedback exists: the latest feedback (by timestamp) naming
 * its prediction id; failing that, the latest feedback for its target date that names no
 * prediction. Feedback naming a model joins only that model's predictions.
 */
export interface JoinedInference extends InferenceRecord {
  readonly actual?: number;
}

/**
 * Where predictions and feedback live: SqlInferenceLogStore (SQLite/PostgreSQL),
 * HttpInferenceLogStore (tracking server). Appends check the whole batch first (errors name the
 * record index and field) and are idempotent per id: the first write of an id is kept, so a
 * retried batch neither fails nor duplicates rows.
 */
export interface InferenceLogStore {
  appendPredictions(records: readonly InferenceRecord[]): Promise<void>;
  appendFeedback(records: readonly FeedbackRecord[]): Promise<void>;
  queryPredictions(query?: InferenceQuery): Promise<readonly JoinedInference[]>;
  queryFeedback(query?: InferenceQuery): Promise<readonly FeedbackRecord[]>;
  close(): Promise<void>;
}
