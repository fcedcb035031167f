import type { Bar } from '../../forecast/index.js';
import type { ContractViolation } from './monitoring-parts.js';

/** One observed close of the monitored window. */
export interface ClosePoint {
  readonly close: number;
  /** ISO date, when known. */
  readonly date?: string | undefined;
  /** File line (price files). */
  readonly line?: number;
  /** How to name the point without a date or line (e.g. `prediction 3f2a…`). */
  readonly label?: string;
}

/** Rules that need real dates; skipped when some point has none. */
const DATE_RULES = new Set(['dates-increasing', 'date-gaps']);
/** Columns that only mirror the close here (and volume, unknown). */
const SHADOW_COLUMNS = new Set(['open', 'high', 'low', 'adjClose', 'volume']);
/** Violations listed per rule; the rest are counted in one more. */
const MAX_PER_RULE = 20;

/**
 * The forecasting data contract as far as it applies to a monitored window of closes: closes
 * that are not finite numbers or not positive, dates that do not increase, long gaps, and daily
 * returns far outside the window's own spread ("impossible jumps", the contract's
 * return-outliers rule). Only the close is known here, so the OHLC rules have nothing to check,
 * and the enough-rows rule does not apply (each prediction brought its own window).
 */
export async function priceWindowContract(
  points: readonly ClosePoint[],
  options: { readonly source: string; readonly window?: number },
): Promise<ContractViolation[]> {
  if (points.length === 0) return [];
  const { validateSeries } = await import('../../forecast/index.js');
  const out: ContractViolation[] = [];
  const dated = points.every((p) => p.date !== undefined);
  const bars: Bar[] = points.map((p, i) => {
    const close = p.close;
    return {
      date: p.date ?? `row ${i + 1}`,
      open: close,
      high: close,
      low: close,
      close,
      volume: 0,
    };
  });
  const lines = points.every((p) => p.line !== undefined)
    ? points.map((p) => p.line as number)
    : undefined;
  const report = validateSeries(
    { bars, source: options.source, ...(lines ? { lines } : {}) },
    { windowSize: 1, minRowsBeyondWindow: 0, maxIssuesPerRule: MAX_PER_RULE },
  );
  for (const issue of [...report.errors, ...report.warnings]) {
    if (issue.rule === 'enough-rows' || (!dated && DATE_RULES.has(issue.rule))) continue;
    if (!dated && issue.column === 'date') continue;
    // Open, high and low are the close here: one finding per point is enough.
    if (issue.column !== undefined && SHADOW_COLUMNS.has(issue.column)) continue;
    // Undated points stand in as `row N`: name them by their label instead.
    const row = !dated && issue.date !== undefined ? /^row (\d+)$/.exec(issue.date) : null;
    const label = row ? points[Number(row[1]) - 1]?.label : undefined;
    const where =
      label ?? issue.date ?? (issue.line === undefined ? undefined : `line ${issue.line}`);
    out.push({
      rule: issue.rule,
      severity: issue.severity,
      message:
        label && row
          ? issue.message.replace(`${row[0]} (${row[0]})`, label).replace(row[0], label)
          : issue.message,
      ...(where === undefined ? {} : { where }),
    });
  }
  for (const [rule, omitted] of Object.entries(report.omitted)) {
    if (omitted && omitted > 0) {
      out.push({ rule, severity: 'warning', message: `${rule}: ${omitted} more not listed` });
    }
  }
  return out;
}

/**
 * Inputs of logged predictions that no price can be: not finite or not positive. The server
 * checks requests, but the log may hold records written by other clients; one violation per
 * record, at most `MAX_PER_RULE` listed.
 */
export function badInputs(
  records: readonly { readonly predictionId: string; readonly inputs: readonly number[] }[],
): ContractViolation[] {
  const out: ContractViolation[] = [];
  let more = 0;
  for (const r of records) {
    const bad = r.inputs.findIndex((v) => !(Number.isFinite(v) && v > 0));
    if (bad < 0) continue;
    if (out.length >= MAX_PER_RULE) {
      more++;
      continue;
    }
    out.push({
      rule: 'positive-values',
      severity: 'error',
      message: `prediction ${r.predictionId}: input close ${bad + 1} of ${r.inputs.length} is ${r.inputs[bad]}, expected a price > 0`,
      where: `prediction ${r.predictionId}`,
    });
  }
  if (more > 0) {
    out.push({
      rule: 'positive-values',
      severity: 'error',
      message: `positive-values: ${more} more predictions with bad inputs not listed`,
    });
  }
  return out;
}
