/**
 * Up to `max` of `candidates` closest to `name`, closest first, for "did you mean" hints. A
 * candidate qualifies when its edit distance is at most a fifth of the longer name (at least 1),
 * or when one name contains the other (a metric path typed without its prefix). Hand-written:
 * a dozen lines, where the packages that do it pull in more than they save.
 */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const target = name.toLowerCase();
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(target, lower);
    const limit = Math.max(1, Math.floor(Math.max(target.length, lower.length) / 5));
    const contains = target.length >= 3 && (lower.includes(target) || target.includes(lower));
    if (distance <= limit || contains) scored.push({ candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, max).map((s) => s.candidate);
}

/** ` (did you mean 'a' or 'b'?)`, or '' when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const close = closestNames(name, candidates);
  if (close.length === 0) return '';
  return ` (did you mean ${close.map((c) => `'${c}'`).join(' or ')}?)`;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}
