import { describeValue } from './schema-issues.js';
import { STAGE_FIELDS } from './stage-schema.js';
import { resolveString, TemplateError, type TemplateContext } from './template.js';
import type { SourcePath, YamlSource } from './yaml-source.js';

/** One stage to build: its expanded name, its body (templates not yet resolved) and where. */
export interface StageDraft {
  readonly name: string;
  /** The name written in the file (`train` for `train@lstm`). */
  readonly group: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** Where the body was written (`['stages', 'train']`, or `[..., 'do']` for foreach). */
  readonly bodyPath: SourcePath;
  /** `item` and `key` of foreach and matrix (empty for a plain stage). */
  readonly locals: Readonly<Record<string, unknown>>;
}

/** Stage names as written: letters, digits, '_', '.', '-' (no '@', kept for expansions). */
const STAGE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const FIELDS = new Set<string>(STAGE_FIELDS);

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isComposite = (v: unknown) => typeof v === 'object' && v !== null;
/** A foreach/matrix value as a stage name suffix (DVC's `to_str`). */
const label = (v: unknown) => (v === null ? 'null' : String(v as string | number | boolean));

/**
 * Expands the `stages:` mapping into one draft per stage: `foreach` over a list (`name@item`,
 * or `name@<index>` when an item is a list or mapping) or a mapping (`name@key`), and `matrix`
 * (`name@v1-v2`, `<key><index>` for list or mapping values). Duplicate names are refused.
 */
export function expandStages(
  source: YamlSource,
  stages: Readonly<Record<string, unknown>>,
  context: TemplateContext,
): StageDraft[] {
  const drafts: StageDraft[] = [];
  const seen = new Set<string>();
  for (const [group, definition] of Object.entries(stages)) {
    const at: SourcePath = ['stages', group];
    // Names as written are unique (YAML keys) and have no '@', so clashes come from one group.
    for (const draft of expandOne(source, group, definition, context, at)) {
      if (seen.has(draft.name)) {
        throw source.fail(
          at,
          `stage '${group}' expands to '${draft.name}' twice; foreach and matrix values must give distinct names`,
          { stage: draft.name },
        );
      }
      seen.add(draft.name);
      drafts.push(draft);
    }
  }
  return drafts;
}

function expandOne(
  source: YamlSource,
  group: string,
  definition: unknown,
  context: TemplateContext,
  at: SourcePath,
): StageDraft[] {
  const fail = (path: SourcePath, message: string, field?: string) =>
    source.fail(path, `stage '${group}' ${message}`, {
      stage: group,
      ...(field === undefined ? {} : { field }),
    });
  if (!STAGE_NAME.test(group)) {
    throw source.fail(
      at,
      `invalid stage name '${group}': use letters, digits, '_', '.' and '-' ('@' is added by foreach and matrix)`,
      { stage: group },
    );
  }
  if (!isMapping(definition)) {
    throw fail(
      at,
      `must be a mapping of fields (cmd or uses, deps, outs, ...), got ${describeValue(definition)}`,
    );
  }
  for (const key of Object.keys(definition)) {
    if (!FIELDS.has(key)) {
      throw fail(
        [...at, key],
        `has unknown field '${key}' (expected ${STAGE_FIELDS.join(', ')})`,
        key,
      );
    }
  }
  if ('foreach' in definition) {
    if ('matrix' in definition)
      throw fail([...at, 'matrix'], 'has both foreach and matrix; use one', 'matrix');
    const extra = Object.keys(definition).find((k) => k !== 'foreach' && k !== 'do');
    if (extra !== undefined) {
      throw fail(
        [...at, extra],
        `has '${extra}' beside foreach; put the stage's fields under do:`,
        extra,
      );
    }
    return expandForeach(group, definition, context, at, fail);
  }
  if ('do' in definition) throw fail([...at, 'do'], "has 'do' without foreach", 'do');
  if ('matrix' in definition) return expandMatrix(group, definition, context, at, fail);
  return [{ name: group, group, body: definition, bodyPath: at, locals: {} }];
}

type Fail = (path: SourcePath, message: string, field?: string) => Error;

function resolveIterable(
  value: unknown,
  context: TemplateContext,
  path: SourcePath,
  fail: Fail,
  field: string,
) {
  if (typeof value !== 'string') return value;
  try {
    return resolveString(value, context);
  } catch (err) {
    if (err instanceof TemplateError) throw fail(path, `${field}: ${err.message}`, field);
    throw err;
  }
}

function expandForeach(
  group: string,
  definition: Readonly<Record<string, unknown>>,
  context: TemplateContext,
  at: SourcePath,
  fail: Fail,
): StageDraft[] {
  const body = definition['do'];
  if (!isMapping(body)) {
    throw fail(
      [...at, 'do'],
      `needs 'do:' with the stage's fields beside foreach, got ${describeValue(body)}`,
      'do',
    );
  }
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key)) {
      throw fail(
        [...at, 'do', key],
        `has unknown field '${key}' (expected ${STAGE_FIELDS.join(', ')})`,
        key,
      );
    }
  }
  for (const key of ['foreach', 'matrix', 'do']) {
    if (key in body)
      throw fail([...at, 'do', key], `has '${key}' inside do:, which cannot be nested`, key);
  }
  const iterable = resolveIterable(
    definition['foreach'],
    context,
    [...at, 'foreach'],
    fail,
    'foreach',
  );
  const bodyPath = [...at, 'do'];
  const draft = (suffix: string, locals: Record<string, unknown>): StageDraft => ({
    name: `${group}@${suffix}`,
    group,
    body,
    bodyPath,
    locals,
  });
  if (Array.isArray(iterable)) {
    const byIndex = iterable.some(isComposite);
    return iterable.map((item, i) => draft(byIndex ? String(i) : label(item), { item }));
  }
  if (isMapping(iterable)) {
    return Object.entries(iterable).map(([key, item]) => draft(key, { item, key }));
  }
  throw fail(
    [...at, 'foreach'],
    `foreach needs a list or a mapping (or \${name} of one), got ${describeValue(iterable)}`,
    'foreach',
  );
}

function expandMatrix(
  group: string,
  definition: Readonly<Record<string, unknown>>,
  context: TemplateContext,
  at: SourcePath,
  fail: Fail,
): StageDraft[] {
  const matrix = definition['matrix'];
  if (!isMapping(matrix) || Object.keys(matrix).length === 0) {
    throw fail(
      [...at, 'matrix'],
      `matrix needs a mapping of names to lists of values, got ${describeValue(matrix)}`,
      'matrix',
    );
  }
  const axes = Object.entries(matrix).map(([name, raw]) => {
    const values = resolveIterable(raw, context, [...at, 'matrix', name], fail, `matrix '${name}'`);
    if (!Array.isArray(values)) {
      throw fail(
        [...at, 'matrix', name],
        `matrix '${name}' needs a list of values, got ${describeValue(values)}`,
        'matrix',
      );
    }
    return { name, values };
  });
  const { matrix: _matrix, ...body } = definition;
  let combos: { item: Record<string, unknown>; parts: string[] }[] = [{ item: {}, parts: [] }];
  for (const { name, values } of axes) {
    combos = combos.flatMap((c) =>
      values.map((v, i) => ({
        item: { ...c.item, [name]: v },
        parts: [...c.parts, isComposite(v) ? `${name}${i}` : label(v)],
      })),
    );
  }
  return combos.map(({ item, parts }) => {
    const key = parts.join('-');
    return { name: `${group}@${key}`, group, body, bodyPath: at, locals: { item, key } };
  });
}
