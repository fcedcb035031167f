/** A test condition on one metric, as Evidently's gt/gte/lt/lte/eq (+ between, inclusive). */
export interface Condition {
  /** A metric path of the report's flat metrics, e.g. `data_drift.drifted_share`. */
  readonly metric: string;
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
  readonly eq?: number | boolean;
  readonly between?: readonly [number, number];
  /** A name for the check in output; default `<metric> <op> <value>`. */
  readonly name?: string;
}

export interface ConditionResult {
  readonly name: string;
  readonly metric: string;
  /** e.g. "lt 0.5" or "between [0, 3]". */
  readonly condition: string;
  /** The metric's value; null when the report has no such metric. */
  readonly actual: number | boolean | null;
  /** fail: the condition does not hold; error: the metric is missing or not comparable. */
  readonly status: 'pass' | 'fail' | 'error';
  readonly message: string;
}

/** Flat metrics of a report: path -> value (null when the metric could not be computed). */
export type MetricMap = Readonly<Record<string, number | boolean | null>>;
