import type * as Yaml from 'yaml';
import { invalidParam, type MlopsError } from './mlops-error.js';

/**
 * The `yaml` library, lent by the caller (`import * as yaml from 'yaml'`). Core does not import it
 * itself: all of core is loaded when any command starts, and `yaml` would add some 10 ms to each.
 */
export type YamlLibrary = Pick<
  typeof Yaml,
  'parseDocument' | 'LineCounter' | 'isMap' | 'isScalar' | 'isSeq'
>;

/** Keys and list indexes from the document root down to a value, e.g. `['stages', 'train', 'deps', 0]`. */
export type YamlPath = readonly (string | number)[];

/** `<file>, line <n>: <message>` as INVALID_PARAMETER_VALUE, with `{file, line, ...details}`. */
export function yamlError(
  file: string,
  line: number,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): MlopsError {
  return invalidParam(`${file}, line ${line}: ${message}`, { file, line, ...details });
}

/**
 * A YAML file parsed with `yaml` into a document that remembers where each value was written, so
 * errors about a config file name its file, line and key. A syntax error or a duplicate key
 * throws at once, naming its line.
 */
export class PositionedYaml {
  readonly file: string;
  readonly doc: Yaml.Document;
  readonly lineCounter: Yaml.LineCounter;
  readonly #yaml: YamlLibrary;

  /** `merge`: read `<<: *anchor` as a merge key (YAML 1.1, as DVC's reader allows). */
  constructor(
    yaml: YamlLibrary,
    file: string,
    text: string,
    options: { readonly merge?: boolean } = {},
  ) {
    this.#yaml = yaml;
    this.file = file;
    this.lineCounter = new yaml.LineCounter();
    this.doc = yaml.parseDocument(text, {
      lineCounter: this.lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      merge: options.merge ?? false,
    });
    const syntax = this.doc.errors[0];
    if (syntax) {
      const line = this.lineCounter.linePos(syntax.pos[0]).line;
      const why = syntax.message.split('\n')[0] ?? '';
      throw yamlError(file, line, `not valid YAML (${why}).`);
    }
  }

  /**
   * The line of the value at `path`: a mapping entry's key line, a list item's line, or, when the
   * path leaves what was written (a missing key, a value produced by a template), the deepest
   * line on the way.
   */
  lineOf(path: YamlPath): number {
    const { isMap, isScalar, isSeq } = this.#yaml;
    let node: unknown = this.doc.contents;
    let line = this.#line(node) ?? 1;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
        if (!pair) break;
        line = this.#line(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        line = this.#line(item) ?? line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  }

  /** An error at the value `path`. */
  fail(
    path: YamlPath,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
  ): MlopsError {
    return yamlError(this.file, this.lineOf(path), message, details);
  }

  #line(node: unknown): number | undefined {
    const range = (node as Yaml.Node | null)?.range;
    return range ? this.lineCounter.linePos(range[0]).line : undefined;
  }
}

/** How messages name a path: `actions.webhook.url`, `checks[1].lt`, `outs[0]["model.pkl"].cache`. */
export function formatYamlPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** The plain value at `path` below `root`; undefined where the path leaves it. */
export function valueAtYamlPath(root: unknown, path: YamlPath): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}
