import { parse } from 'yaml';
import { invalidParam } from '../../core/index.js';

/**
 * A JSON or YAML file's tree. `shown` names the file (and revision) in the error, `expected`
 * says what the file should hold.
 */
export function parseTree(text: string, shown: string, expected: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: YAML 1.2 (a superset, and what params files usually are).
  }
  try {
    return parse(text) as unknown;
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0] ?? '';
    throw invalidParam(`${shown} is neither JSON nor YAML (${reason}); expected ${expected}.`, {
      file: shown,
    });
  }
}

/** Like `parseTree`, but the top level must be a mapping (an empty file is an empty one). */
export function parseMapping(
  text: string,
  shown: string,
  expected: string,
): Readonly<Record<string, unknown>> {
  const tree = parseTree(text, shown, expected);
  if (tree === null || tree === undefined) return {};
  if (!isMapping(tree)) {
    throw invalidParam(`${shown} holds ${describeValue(tree)}; expected ${expected}.`, {
      file: shown,
    });
  }
  return tree;
}

/** Every numeric leaf of a tree under its dotted path, in document order (arrays by index). */
export function numericLeaves(tree: unknown, prefix = ''): { key: string; value: number }[] {
  if (typeof tree === 'number') return prefix === '' ? [] : [{ key: prefix, value: tree }];
  if (!isMapping(tree) && !Array.isArray(tree)) return [];
  const out: { key: string; value: number }[] = [];
  for (const [k, v] of Object.entries(tree)) {
    out.push(...numericLeaves(v, prefix === '' ? k : `${prefix}.${k}`));
  }
  return out;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "a list", "a number"...: what a file held instead of what was expected. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** Equal as data (key order ignored; NaN equals NaN). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) &&
      sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
