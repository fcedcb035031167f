/** One benchmark figure as a JSON line (DESIGN.md §5). */
export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline: { name: string; value: number } | null;
  ratio: number | null;
  [extra: string]: unknown;
}

export function report(figure: Figure): void {
  process.stdout.write(JSON.stringify(figure) + '\n');
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
