/**
 * Fixed, locale-free number text for SVG and HTML (toFixed/toPrecision are specified exactly by
 * ECMAScript, unlike toLocaleString), so the same numbers always give the same bytes.
 */
export function formatFixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  // -0.00 and 0.00 must not differ in the output.
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Decimals needed to print multiples of `step` exactly (0.5 -> 1, 0.02 -> 2, 50 -> 0). */
export function decimalsForStep(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/** A table cell: integers as is, other numbers to 6 significant digits, non-finite by name. */
export function formatCell(value: string | number): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}
