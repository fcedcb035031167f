/** Output for every command: an aligned table for people, or JSON with --json. */
export interface OutputOptions {
  readonly json?: boolean;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, jsonReplacer, 2) + '\n');
}

/** NaN and +-Infinity survive as the strings MLflow's JSON uses. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  }
  return value;
}

/**
 * Prints rows as columns padded to their widest cell. Hand-written (a dozen lines) rather than a
 * table package: our tables are plain text with no borders or wrapping.
 */
export function printTable(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
): void {
  const cells = rows.map((row) => row.map(formatCell));
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const bold = process.stdout.isTTY ? (s: string) => `\x1b[1m${s}\x1b[0m` : (s: string) => s;
  process.stdout.write(bold(line(headers)) + '\n');
  for (const row of cells) process.stdout.write(line(row) + '\n');
  if (rows.length === 0) process.stdout.write('(none)\n');
}

export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
  }
  return String(value);
}

export function formatTime(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** A mutation's outcome: `json` with --json, else one line of `text`. */
export function printOutcome(options: OutputOptions, json: unknown, text: string): void {
  if (options.json) printJson(json);
  else process.stdout.write(text + '\n');
}
