import type { ColumnDrift, DataDriftResult } from './monitoring-parts.js';

/** The price-level column: it moves with the price, whatever the model does. */
const PRICE_LEVEL = 'last_close';

/** 3 significant digits, plain for prices (2250, not 2.25e+3), exponent only for tiny values. */
const fmt = (v: number) =>
  v === 0 || Math.abs(v) >= 1e-3 ? String(Number(v.toPrecision(3))) : v.toExponential(2);

/** "ks p = 0.0012 < 0.05" or "wasserstein 0.31 >= 0.1": a column's verdict in words. */
export function verdict(c: ColumnDrift): string {
  if (c.status !== 'ok' || c.score === null)
    return `${c.test} could not run (${c.problem ?? 'no score'})`;
  if (c.scoreKind === 'p_value') {
    return `${c.test} p = ${fmt(c.score)} ${c.drifted ? '<' : '>='} ${c.threshold}`;
  }
  return `${c.test} ${fmt(c.score)} ${c.drifted ? '>=' : '<'} ${c.threshold}`;
}

/**
 * Plain statements about the forecasting features: a drifted last_close says prices moved, not
 * that the model broke, so the note says that and what the scale-free columns (returns,
 * volatility) show, which is where a change of regime would appear.
 */
export function priceLevelNotes(drift: DataDriftResult): string[] {
  const level = drift.columns.find((c) => c.column === PRICE_LEVEL);
  if (!level || level.status !== 'ok' || !level.drifted) return [];
  const moved =
    level.reference.mean !== undefined && level.current.mean !== undefined
      ? ` (mean ${fmt(level.reference.mean)} in the reference, ${fmt(level.current.mean)} now)`
      : '';
  const scaleFree = drift.columns.filter((c) => c.column !== PRICE_LEVEL);
  const drifted = scaleFree.filter((c) => c.status === 'ok' && c.drifted);
  const stable = scaleFree.filter((c) => c.status === 'ok' && !c.drifted);
  const errored = scaleFree.filter((c) => c.status !== 'ok');
  const list = (cs: readonly ColumnDrift[]) =>
    cs.map((c) => `${c.column} (${verdict(c)})`).join(', ');
  const parts = [
    `${PRICE_LEVEL} drifted (${verdict(level)}): it is the price level${moved}, and a price level drifts whenever prices move, so this says prices are somewhere else than in training, not that the model broke.`,
  ];
  if (scaleFree.length === 0) {
    parts.push('No scale-free column (returns, volatility) was monitored to say more.');
  } else if (drifted.length === 0 && errored.length === 0) {
    parts.push(
      `The scale-free columns do not drift: ${list(stable)}; the returns and their volatility look like the reference.`,
    );
  } else {
    if (drifted.length > 0) {
      parts.push(
        `But scale-free columns drifted too, so returns or their volatility changed, not only the level: ${list(drifted)}.`,
      );
    }
    if (stable.length > 0) parts.push(`Stable: ${list(stable)}.`);
    if (errored.length > 0) parts.push(`Not tested: ${list(errored)}.`);
  }
  return [parts.join(' ')];
}
