import { formatYamlPath } from '../../core/index.js';
import { DEFAULT_PARAMS_FILE } from './pipeline-spec.js';
import { describeProblem, paramValue, type ParamsFiles } from './params-files.js';
import type { TemplateContext } from './template.js';
import { toWorkspacePath } from './workspace-paths.js';

type Fail = (path: readonly (string | number)[], message: string) => Error;

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Template variables being gathered: values merged key by key (DVC refuses to redefine a value,
 * but two sources may add keys to the same mapping), with where each top-level name came from.
 */
export class VariableScope {
  readonly values: Record<string, unknown>;
  readonly #origins: Map<string, string>;
  /** Files merged whole, so listing `params.yaml` in `vars` again is not a conflict. */
  readonly #wholeFiles: Set<string>;

  constructor(parent?: VariableScope) {
    this.values = parent ? { ...parent.values } : {};
    this.#origins = new Map(parent ? parent.#origins : []);
    this.#wholeFiles = new Set(parent ? parent.#wholeFiles : []);
  }

  get context(): TemplateContext {
    return this.values;
  }

  hasWholeFile(rel: string): boolean {
    return this.#wholeFiles.has(rel);
  }

  /** Merges `values` from `origin`; `fail` receives the clash (`'x.y' is already defined by ...`). */
  merge(values: Readonly<Record<string, unknown>>, origin: string, fail: (why: string) => Error) {
    for (const [key, value] of Object.entries(values)) {
      const existing = this.values[key];
      if (existing === undefined) {
        this.values[key] = value;
        this.#origins.set(key, origin);
      } else {
        this.values[key] = mergeValue(existing, value, key, (name) =>
          fail(`'${name}' from ${origin} is already defined by ${this.#origins.get(key) ?? '?'}`),
        );
      }
    }
  }

  markWholeFile(rel: string): void {
    this.#wholeFiles.add(rel);
  }
}

/** Deep merge without mutating either side; two non-mapping values clash. */
function mergeValue(a: unknown, b: unknown, name: string, clash: (name: string) => Error): unknown {
  if (!isMapping(a) || !isMapping(b)) throw clash(name);
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] =
      existing === undefined ? value : mergeValue(existing, value, `${name}.${key}`, clash);
  }
  return out;
}

/** `params.yaml` at the workspace root, when it exists: the default template variables. */
export async function defaultScope(files: ParamsFiles, fail: Fail): Promise<VariableScope> {
  const scope = new VariableScope();
  const result = await files.read(DEFAULT_PARAMS_FILE);
  if (result.ok) {
    scope.merge(result.values, DEFAULT_PARAMS_FILE, (why) => fail([], why));
    scope.markWholeFile(DEFAULT_PARAMS_FILE);
  } else if (result.problem !== 'missing') {
    throw fail([], describeProblem(DEFAULT_PARAMS_FILE, result.problem));
  }
  return scope;
}

/**
 * Adds `vars` entries to `scope`: inline mappings, or params files (relative to `base`) whole
 * (`file.yaml`) or by keys (`file.yaml:key1,key2`, dotted keys allowed). `at` is where the
 * `vars` list was written, for `fail`.
 */
export async function addVars(
  scope: VariableScope,
  entries: readonly (string | Record<string, unknown>)[],
  base: string,
  files: ParamsFiles,
  at: readonly (string | number)[],
  fail: Fail,
): Promise<void> {
  for (const [i, entry] of entries.entries()) {
    const here = [...at, i];
    const origin = `${formatYamlPath(at)}[${i}]`;
    if (typeof entry !== 'string') {
      scope.merge(entry, origin, (why) => fail(here, why));
      continue;
    }
    const colon = entry.indexOf(':');
    const name = colon < 0 ? entry : entry.slice(0, colon);
    const rel = toWorkspacePath(base, name, (why) => fail(here, `vars file ${why}`));
    const result = await files.read(rel);
    if (!result.ok) throw fail(here, describeProblem(rel, result.problem));
    if (colon < 0) {
      if (scope.hasWholeFile(rel)) continue;
      scope.merge(result.values, rel, (why) => fail(here, why));
      scope.markWholeFile(rel);
      continue;
    }
    for (const key of entry
      .slice(colon + 1)
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean)) {
      const value = paramValue(result.values, key);
      if (value === undefined) throw fail(here, `'${key}' is not defined in ${rel}`);
      scope.merge(nest(key, value), `${rel}:${key}`, (why) => fail(here, why));
    }
  }
}

/** `a.b`, 1 -> `{a: {b: 1}}`. */
function nest(key: string, value: unknown): Record<string, unknown> {
  const parts = key.split('.');
  let out: unknown = value;
  for (let i = parts.length - 1; i >= 0; i -= 1) out = { [parts[i] ?? '']: out };
  return out as Record<string, unknown>;
}
