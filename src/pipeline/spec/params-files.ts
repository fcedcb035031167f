import { yamlError } from '../../core/index.js';
import { YamlSource } from './yaml-source.js';

/** Reads a workspace file as text; undefined when it does not exist. */
export type ReadText = (rel: string) => Promise<string | undefined>;

/** Why a params file could not be used; `parse` turns it into a message with the referrer's line. */
export type ParamsFileProblem = 'missing' | 'unsupported' | 'not-a-mapping';

export type ParamsFileResult =
  | { readonly ok: true; readonly values: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly problem: ParamsFileProblem };

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The params and vars files of one parse, each read and parsed once (YAML or JSON by
 * extension). Syntax errors throw with the params file's own line.
 */
export class ParamsFiles {
  readonly #readText: ReadText;
  readonly #cache = new Map<string, Promise<ParamsFileResult>>();

  constructor(readText: ReadText) {
    this.#readText = readText;
  }

  read(rel: string): Promise<ParamsFileResult> {
    let result = this.#cache.get(rel);
    if (!result) {
      result = this.#load(rel);
      this.#cache.set(rel, result);
    }
    return result;
  }

  async #load(rel: string): Promise<ParamsFileResult> {
    const json = /\.json$/i.test(rel);
    if (!json && !/\.ya?ml$/i.test(rel)) return { ok: false, problem: 'unsupported' };
    const text = await this.#readText(rel);
    if (text === undefined) return { ok: false, problem: 'missing' };
    const values = json ? parseJson(rel, text) : new YamlSource(rel, text).toJS();
    if (values === null || values === undefined) return { ok: true, values: {} };
    if (!isMapping(values)) return { ok: false, problem: 'not-a-mapping' };
    return { ok: true, values };
  }
}

function parseJson(rel: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // Count lines up to the reported position when the engine gives one.
    const at = /position (\d+)/.exec(String(err))?.[1];
    const line = at === undefined ? 1 : text.slice(0, Number(at)).split('\n').length;
    throw yamlError(rel, line, `not valid JSON (${(err as Error).message}).`);
  }
}

/** What to tell the user about a params file problem. */
export function describeProblem(rel: string, problem: ParamsFileProblem): string {
  switch (problem) {
    case 'missing':
      return `params file '${rel}' does not exist`;
    case 'unsupported':
      return `params file '${rel}' is neither YAML (.yaml, .yml) nor JSON (.json)`;
    case 'not-a-mapping':
      return `params file '${rel}' must hold a mapping of keys at the top level`;
  }
}

/** The value at dotted `key` (`train.epochs`, `layers.0`) in a params mapping, or undefined. */
export function paramValue(values: Readonly<Record<string, unknown>>, key: string): unknown {
  let value: unknown = values;
  for (const part of key.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(part)) value = value[Number(part)];
    else if (isMapping(value) && Object.hasOwn(value, part)) value = value[part];
    else return undefined;
  }
  return value;
}
