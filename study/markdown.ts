/**
 * Small helpers for the study's docs: markdown tables, number formatting, and generated blocks.
 * A doc keeps its hand-written text; a command replaces only its own block between
 * `<!-- generated:NAME begin -->` and `<!-- generated:NAME end -->` (appended when missing), and
 * the whole file is formatted with the repo's prettier config so `prettier --check` stays clean.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Fixed decimals, with a sign for values that can be either side of 0 when `signed`. */
export function num(value: number | undefined, digits = 4, signed = false): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  const text = value.toFixed(digits);
  return signed && value >= 0 ? `+${text}` : text;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function range(values: readonly number[]): readonly [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

/** Replaces (or appends) the generated block `name` of the markdown file at `path`. */
export async function writeGeneratedBlock(
  path: string,
  title: string,
  name: string,
  content: string,
): Promise<void> {
  const begin = `<!-- generated:${name} begin -->`;
  const end = `<!-- generated:${name} end -->`;
  const block = `${begin}\n\n${content.trim()}\n\n${end}`;
  const old = existsSync(path) ? await readFile(path, 'utf8') : `# ${title}\n`;
  const from = old.indexOf(begin);
  const to = old.indexOf(end);
  const next =
    from >= 0 && to > from
      ? old.slice(0, from) + block + old.slice(to + end.length)
      : `${old.trimEnd()}\n\n${block}\n`;
  const options = (await resolveConfig(path)) ?? {};
  await writeFile(path, await format(next, { ...options, filepath: path }));
}
