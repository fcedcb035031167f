import type { z } from 'zod';
import { invalidParam, type MlopsError } from '../../core/index.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/**
 * What each `with:` argument of a step holds, as messages say it ("must be ..."). Schemas of
 * items inside an argument (list items, mapping values) give their own `{ error: 'a path' }`. */
export type ArgumentHelp = Readonly<Record<string, string>>;

/**
 * Checks a step's `with:` arguments against its zod schema. The first problem becomes one
 * `INVALID_PARAMETER_VALUE` that names the argument, what it expects and what it got, with
 * `details.argument` (the top-level key) so that mlops.yaml errors point at its line.
 */
export function parseStepArgs<S extends z.ZodType>(
  step: string,
  schema: S,
  help: ArgumentHelp,
  args: unknown,
): z.output<S> {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  throw describeIssue(step, help, args, result.error.issues);
}

function describeIssue(
  step: string,
  help: ArgumentHelp,
  args: unknown,
  issues: readonly Issue[],
): MlopsError {
  const issue = innermost(issues[0]);
  if (issue === undefined) return invalidParam(`Step '${step}': invalid arguments.`);
  const path = issue.path;
  const name = String(path[0] ?? '');
  const details = { argument: name, step };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    if (path.length > 0) {
      return invalidParam(`unknown key '${key}' in argument '${formatPath(path)}'.`, details);
    }
    const hint = UNKNOWN_HINTS[step]?.(key) ?? '';
    return invalidParam(
      `unknown argument '${key}' (expected ${Object.keys(help).join(', ')}).${hint}`,
      { argument: key, step },
    );
  }
  if (issue.code === 'invalid_key') {
    const key = String(path[path.length - 1] ?? '');
    const why = issue.issues[0]?.message ?? issue.message;
    return invalidParam(
      `argument '${formatPath(path.slice(0, -1))}' has an invalid name '${key}': ${why}.`,
      details,
    );
  }
  const value = valueAt(args, path);
  if (path.length <= 1) {
    const expected = help[name] ?? issue.message;
    return invalidParam(
      value === undefined
        ? `argument '${name}' is required: ${expected}.`
        : `argument '${name}' must be ${expected}; got ${describe(value)}.`,
      details,
    );
  }
  // Inside a list or mapping the schema says it: nested schemas carry `{ error: 'a path' }`.
  return invalidParam(
    `argument '${formatPath(path)}' must be ${issue.message}; got ${describe(value)}.`,
    details,
  );
}

/** Hints for arguments people put in the wrong place. */
const UNKNOWN_HINTS: Readonly<Record<string, (key: string) => string>> = {
  'forecast/train': (key) =>
    ` Model params go under 'params:', e.g. with: {model: lstm, params: {${key}: ...}}.`,
};

/** Descends into the union branch that came closest to matching. */
function innermost(issue: Issue | undefined): Issue | undefined {
  let current = issue;
  while (current?.code === 'invalid_union' && current.errors.length > 0) {
    const branch = current.errors.find((errs) => errs.some((i) => i.path.length > 0));
    const inner = branch?.find((i) => i.path.length > 0);
    if (!inner) break;
    current = { ...inner, path: [...current.path, ...inner.path] } as Issue;
  }
  return current;
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `models.lstm`, `plots[1]`. */
function formatPath(path: Path): string {
  return path
    .map((key, i) =>
      typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`,
    )
    .join('');
}

/** A value as messages show it. */
function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
