/** One trading day of OHLCV prices, as loaded from a daily price CSV. */
export interface Bar {
  /** ISO date, YYYY-MM-DD. */
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Adjusted close when the file has one. */
  readonly adjClose?: number;
  readonly volume: number;
}

/** A loaded series: its bars in file order, and where they came from (for messages and lineage). */
export interface Series {
  readonly source: string;
  readonly bars: readonly Bar[];
  /** sha256 of the file's bytes: the dataset version's identity everywhere. */
  readonly sha256: string;
}
