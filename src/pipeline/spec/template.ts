/**
 * DVC's templating: `${a.b}`, `${list[0]}`, `${item.x}` looked up in a context of variables
 * (params.yaml, `vars`, and `item`/`key` inside foreach and matrix). `\${x}` is a literal.
 */

/** Variables visible to a template: top-level names to plain values. */
export type TemplateContext = Readonly<Record<string, unknown>>;

/** Why a template could not be resolved (the caller adds file, line and stage). */
export class TemplateError extends Error {}

const TEMPLATE = /(\\*)\$\{([^}]*)\}/g;
const WHOLE = /^\$\{\s*([^}]*?)\s*\}$/;
const SEGMENT = /^([^[\]]+)?((?:\[\d+\])*)$/;

/** True when `text` may hold a template (the cheap test before any work). */
export function hasTemplate(text: string): boolean {
  return text.includes('${');
}

const parsedExpressions = new Map<string, readonly (string | number)[]>();

/** `a.b[0].c` as keys and indexes. */
function parseExpression(expr: string): readonly (string | number)[] {
  const cached = parsedExpressions.get(expr);
  if (cached) return cached;
  const keys: (string | number)[] = [];
  for (const part of expr.trim().split('.')) {
    const match = SEGMENT.exec(part);
    if (part === '' || !match) {
      throw new TemplateError(`'\${${expr}}' is not a variable reference (use \${name.key[0]})`);
    }
    if (match[1] !== undefined) keys.push(match[1]);
    for (const index of (match[2] ?? '').match(/\d+/g) ?? []) keys.push(Number(index));
  }
  parsedExpressions.set(expr, keys);
  return keys;
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value `expr` names in `context`; an unknown name is a `TemplateError` saying what exists. */
export function lookup(context: TemplateContext, expr: string): unknown {
  const keys = parseExpression(expr);
  let value: unknown = context;
  let walked = '';
  for (const key of keys) {
    let next: unknown;
    if (Array.isArray(value)) {
      const index = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : NaN;
      next = Number.isInteger(index) ? value[index] : undefined;
    } else if (isMapping(value) && Object.hasOwn(value, String(key))) {
      next = value[String(key)];
    }
    if (next === undefined) {
      const shown = typeof key === 'number' ? `[${key}]` : key;
      if (walked === '') {
        const known = Object.keys(context).sort();
        throw new TemplateError(
          `undefined variable '${shown}' in '\${${expr.trim()}}' (defined: ${known.join(', ') || 'none; add params.yaml or vars'})`,
        );
      }
      throw new TemplateError(`'${walked}' has no '${shown}' (in '\${${expr.trim()}}')`);
    }
    walked += typeof key === 'number' ? `[${key}]` : walked === '' ? key : `.${key}`;
    value = next;
  }
  return value;
}

/** How a value found inside a longer string is written into it. */
export type InterpolationMode = 'value' | 'cmd';

/**
 * Resolves the templates of one string. A string that is exactly one `${x}` keeps the value's
 * type (a list stays a list); inside a longer string only scalars are allowed, except in `cmd`
 * where a mapping becomes `--key value` arguments (DVC's dict unpacking).
 */
export function resolveString(
  text: string,
  context: TemplateContext,
  mode: InterpolationMode = 'value',
): unknown {
  if (!hasTemplate(text)) return text;
  const whole = WHOLE.exec(text);
  if (whole) {
    const value = lookup(context, whole[1] ?? '');
    return mode === 'cmd' && isMapping(value) ? unpackArguments(value) : value;
  }
  return text.replace(TEMPLATE, (match: string, slashes: string, expr: string) => {
    // An odd number of backslashes escapes the `$`: `\${x}` is the literal `${x}`.
    if (slashes.length % 2 === 1) return `${slashes.slice(1)}\${${expr}}`;
    return slashes + toText(lookup(context, expr), expr, mode);
  });
}

function toText(value: unknown, expr: string, mode: InterpolationMode): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (mode === 'cmd' && isMapping(value)) return unpackArguments(value);
  const kind = value === null ? 'null' : Array.isArray(value) ? 'a list' : 'a mapping';
  throw new TemplateError(
    `'\${${expr.trim()}}' is ${kind} and cannot be written inside a string (only strings, numbers and booleans can${mode === 'cmd' ? '; a mapping in cmd becomes --key value arguments' : ''})`,
  );
}

const SAFE_ARG = /^[\w@%+=:,./-]+$/;

/** Quotes an argument for `/bin/sh` when it needs it. */
function shellQuote(text: string): string {
  return SAFE_ARG.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * DVC's unpacking of a mapping in `cmd`: `{lr: 0.1, fast: true, slow: false, layers: [8, 4],
 * opt: {name: adam}}` becomes `--lr 0.1 --fast --layers 8 4 --opt.name adam`.
 */
export function unpackArguments(mapping: Readonly<Record<string, unknown>>, prefix = ''): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(mapping)) {
    const flag = `--${prefix}${name}`;
    if (isMapping(value)) {
      const inner = unpackArguments(value, `${prefix}${name}.`);
      if (inner !== '') parts.push(inner);
    } else if (typeof value === 'boolean') {
      if (value) parts.push(flag);
    } else if (Array.isArray(value)) {
      const items = value.map((item) => {
        if (typeof item === 'object' && item !== null) {
          throw new TemplateError(`argument '${flag}' holds a nested list or mapping`);
        }
        return shellQuote(String(item));
      });
      parts.push([flag, ...items].join(' '));
    } else if (value === null || value === undefined) {
      throw new TemplateError(`argument '${flag}' is null`);
    } else {
      parts.push(`${flag} ${shellQuote(String(value as string | number))}`);
    }
  }
  return parts.join(' ');
}

/** Where a template failed: the path below the resolved value, and why. */
export type TemplateFailure = (path: readonly (string | number)[], message: string) => Error;

/**
 * Resolves every template in a plain value (strings in lists and mapping values, and mapping
 * keys, which are always written into a string). `path` is where `value` sits, for `fail`.
 */
export function resolveTree(
  value: unknown,
  context: TemplateContext,
  path: readonly (string | number)[],
  fail: TemplateFailure,
  mode: InterpolationMode = 'value',
): unknown {
  try {
    if (typeof value === 'string') return resolveString(value, context, mode);
  } catch (err) {
    if (err instanceof TemplateError) throw fail(path, err.message);
    throw err;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => resolveTree(item, context, [...path, i], fail, mode));
  }
  if (isMapping(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      let name = key;
      try {
        if (hasTemplate(key)) name = keyText(resolveString(key, context), key);
      } catch (err) {
        if (err instanceof TemplateError) throw fail([...path, key], err.message);
        throw err;
      }
      out[name] = resolveTree(inner, context, [...path, key], fail, mode);
    }
    return out;
  }
  return value;
}

/** A resolved mapping key: templates in keys must give a string, number or boolean. */
function keyText(value: unknown, key: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw new TemplateError(
    `the key '${key}' must resolve to a string, got ${value === null ? 'null' : typeof value === 'object' ? 'a list or mapping' : typeof value}`,
  );
}
