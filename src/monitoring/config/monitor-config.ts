import type { Condition } from '../checks/check-types.js';
import type { DriftOptions } from '../drift/drift-types.js';

/** Which inference-log rows a run reads: the newest `last` rows, or those of the last `sinceMs`. */
export type MonitorWindow = { readonly last: number } | { readonly sinceMs: number };

export interface WebhookConfig {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** fail: POST only when a check fails (or errs); always: after every run. */
  readonly on: 'fail' | 'always';
}

/**
 * The retraining trigger. Monitoring reads only `cooldownMs`; the application layer reads the
 * rest (where new rows come from, which file they merge into). Whether the new model is promoted
 * is the pipeline's promotion gate's decision, not the monitor's.
 */
export interface RetrainConfig {
  readonly cooldownMs: number;
  /** A file path or URL the new rows are imported from (`mlops data import`). */
  readonly source: string;
  /** The workspace file the rows go into, e.g. data/prices.csv. */
  readonly into: string;
  /** The column new rows are merged on, e.g. Date. */
  readonly mergeKey?: string;
}

/** `monitor.yaml`, validated and frozen; keys are the YAML's snake_case keys in camelCase. */
export interface MonitorConfig {
  /** The file it was read from, as messages name it. */
  readonly file: string;
  /** The monitor's name (default: the model's name). */
  readonly monitor: string;
  /** What is served, e.g. models:/stock-forecast@champion. */
  readonly model: string;
  /** The reference; absent: the model version that served the window. */
  readonly reference?: string;
  readonly window: MonitorWindow;
  readonly drift: DriftOptions;
  readonly performance?: { readonly windowRows?: number };
  readonly checks: readonly Condition[];
  readonly actions: { readonly webhook?: WebhookConfig; readonly retrain?: RetrainConfig };
  readonly report?: { readonly html?: string; readonly json?: string };
  /** A croner pattern (checked); `mlops monitor run --schedule` keeps running on it. */
  readonly schedule?: string;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5000;
export const DEFAULT_RETRAIN_COOLDOWN_MS = 6 * 3_600_000;
