import { invalidParam } from '../../core/index.js';
import type { ScoredPrediction } from './performance-types.js';

/** Consecutive windows of a fixed number of rows, or of a fixed duration. */
export type WindowSpec = { readonly rows: number } | { readonly ms: number };

/** The default split aims at this many windows … */
export const DEFAULT_WINDOW_COUNT = 10;
/** … of at least this many rows each (fewer windows when rows are few). */
export const MIN_DEFAULT_WINDOW_ROWS = 5;

/**
 * Splits rows sorted by timestamp into consecutive windows.
 * - default: min(10, floor(n / 5)) windows (at least one), sizes as equal as rows allow;
 * - `{ rows: N }`: N rows each, the last window holding what is left (the newest rows matter
 *   most, so they are kept even when fewer than N);
 * - `{ ms: D }`: rows grouped by floor(timestamp / D) — windows aligned to multiples of D since
 *   the epoch (UTC midnight for a day), so successive runs cut the same windows; empty ones are
 *   skipped.
 */
export function splitWindows<T extends ScoredPrediction>(
  sorted: readonly T[],
  spec?: WindowSpec,
): T[][] {
  if (spec !== undefined) checkWindowSpec(spec);
  if (sorted.length === 0) return [];
  if (spec === undefined) return equalWindows(sorted);
  if ('rows' in spec) {
    const windows: T[][] = [];
    for (let i = 0; i < sorted.length; i += spec.rows) windows.push(sorted.slice(i, i + spec.rows));
    return windows;
  }
  const windows: T[][] = [];
  let bucket = NaN;
  for (const row of sorted) {
    const b = Math.floor(row.timestamp / spec.ms);
    if (b !== bucket) {
      windows.push([]);
      bucket = b;
    }
    windows[windows.length - 1]!.push(row);
  }
  return windows;
}

export function checkWindowSpec(spec: WindowSpec): void {
  if ('rows' in spec) {
    if (!Number.isInteger(spec.rows) || spec.rows < 1) {
      throw invalidParam(`window.rows is ${spec.rows}; expected a positive integer`, {
        field: 'window.rows',
      });
    }
  } else if (!('ms' in spec) || !Number.isFinite(spec.ms) || spec.ms <= 0) {
    const ms = (spec as { ms?: unknown }).ms;
    throw invalidParam(
      `window.ms is ${String(ms)}; expected a positive number of milliseconds (or use window.rows)`,
      { field: 'window.ms' },
    );
  }
}

function equalWindows<T>(sorted: readonly T[]): T[][] {
  const n = sorted.length;
  const k = Math.max(1, Math.min(DEFAULT_WINDOW_COUNT, Math.floor(n / MIN_DEFAULT_WINDOW_ROWS)));
  return Array.from({ length: k }, (_, i) =>
    sorted.slice(Math.floor((i * n) / k), Math.floor(((i + 1) * n) / k)),
  );
}
