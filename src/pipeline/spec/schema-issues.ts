import type { z } from 'zod';
import { formatYamlPath, valueAtYamlPath, type YamlPath } from '../../core/index.js';
import { OUT_FLAGS, PLOT_FLAGS, STAGE_FIELDS } from './stage-schema.js';

type Issue = z.core.$ZodIssue;

/** What each stage field holds, for "expected ..." in messages. */
const FIELD_EXPECTED: Readonly<Record<string, string>> = {
  cmd: 'a command (string) or a list of commands',
  uses: 'the name of a built-in step (string)',
  with: 'a mapping of step arguments',
  wdir: 'a directory relative to the workspace (string)',
  deps: 'a list of paths',
  params: 'a list of params keys, {file.yaml: [keys]} or {file.yaml: null}',
  outs: 'a list of paths or {path: {cache, persist, desc}}',
  metrics: 'a list of paths or {path: {cache, persist, desc}}',
  plots: `a list of paths or {path: {${PLOT_FLAGS.join(', ')}}}`,
  always_changed: 'true or false',
  frozen: 'true or false',
  desc: 'a string',
  vars: 'a list of params files (file.yaml, file.yaml:key1,key2) or mappings',
};

/** What one item of a list field holds. */
const ITEM_EXPECTED: Readonly<Record<string, string>> = {
  cmd: 'a command (string)',
  deps: 'a path (string)',
  params: 'a params key (string), {file.yaml: [keys]} or {file.yaml: null}',
  outs: 'a path or {path: {cache, persist, desc}}',
  metrics: 'a path or {path: {cache, persist, desc}}',
  plots: `a path or {path: {${PLOT_FLAGS.join(', ')}}}`,
  vars: 'a params file (string) or a mapping',
};

const FLAG_EXPECTED: Readonly<Record<string, string>> = {
  cache: 'true or false',
  persist: 'true or false',
  y: 'a column name or a list of them',
  x: 'a column name',
};

/** A value as messages show it. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') {
    return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value as number | boolean);
}

const isRootTypeMismatch = (issue: Issue) =>
  issue.code === 'invalid_type' && issue.path.length === 0;

/** Descends into the union branch that matched the value's shape (the one with deeper issues). */
function innermost(issue: Issue, path: YamlPath): { issue: Issue; path: YamlPath } {
  let current = issue;
  let at = path;
  while (current.code === 'invalid_union' && current.errors.length > 0) {
    const branch = current.errors.find((issues) => issues.some((i) => !isRootTypeMismatch(i)));
    const inner = branch?.find((i) => !isRootTypeMismatch(i));
    if (!inner) break;
    at = [...at, ...(inner.path as (string | number)[])];
    current = inner;
  }
  return { issue: current, path: at };
}

function expectedAt(path: YamlPath): string | undefined {
  const [field, index, , flag] = path;
  if (typeof field !== 'string') return undefined;
  if (path.length === 1) return FIELD_EXPECTED[field];
  if (path.length === 2 && typeof index === 'number') return ITEM_EXPECTED[field];
  if (field === 'params' && path.length === 3) return 'a list of keys (or nothing, for all keys)';
  if (field !== 'outs' && field !== 'metrics' && field !== 'plots') return undefined;
  if (path.length === 3) return 'a mapping of flags (or nothing)';
  return typeof flag === 'string' ? (FLAG_EXPECTED[flag] ?? 'a string') : undefined;
}

/**
 * The first schema problem of a stage body as a sentence (without file and line) and the path
 * of the offending value below the body, e.g. `has an invalid 'deps[2]': expected a path
 * (string), got 3`.
 */
export function describeStageIssue(
  issues: readonly Issue[],
  body: unknown,
): { readonly path: YamlPath; readonly message: string } {
  const first = issues[0];
  if (!first) return { path: [], message: 'is invalid' };
  const { issue, path } = innermost(first, first.path as (string | number)[]);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    if (path.length === 0) {
      return {
        path: [key],
        message: `has unknown field '${key}' (expected ${STAGE_FIELDS.join(', ')})`,
      };
    }
    const flags = path[0] === 'plots' ? PLOT_FLAGS : OUT_FLAGS;
    return {
      path: [...path, key],
      message: `has unknown flag '${key}' on '${formatYamlPath(path)}' (expected ${flags.join(', ')})`,
    };
  }
  const where = formatYamlPath(path);
  if (issue.code === 'custom') {
    return { path, message: `has an invalid '${where}': ${issue.message}` };
  }
  const got = describeValue(valueAtYamlPath(body, path));
  const expected =
    expectedAt(path) ??
    (issue.code === 'too_small'
      ? 'a non-empty value'
      : issue.code === 'invalid_type'
        ? issue.expected
        : issue.message);
  return { path, message: `has an invalid '${where}': expected ${expected}, got ${got}` };
}
