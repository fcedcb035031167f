import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { invalidParam, type MlopsError } from '../../core/index.js';

/** Keys and list indexes from the document root down to a value. */
export type YamlPath = readonly (string | number)[];

/**
 * A YAML file that remembers where each value was written, so errors name the file, line and
 * key. A small cousin of the pipeline spec's YamlSource, which monitoring may not import.
 */
export class YamlSource {
  readonly file: string;
  readonly value: unknown;
  readonly #doc: Document;
  readonly #lines = new LineCounter();

  constructor(file: string, text: string) {
    this.file = file;
    this.#doc = parseDocument(text, {
      lineCounter: this.#lines,
      prettyErrors: false,
      uniqueKeys: true,
    });
    const syntax = this.#doc.errors[0];
    if (syntax) {
      const line = this.#lines.linePos(syntax.pos[0]).line;
      throw this.error(line, `not valid YAML (${syntax.message.split('\n')[0] ?? ''})`);
    }
    this.value = this.#doc.toJS({ maxAliasCount: 100 });
  }

  /** The line of the value at `path` (a mapping entry's key line), or the deepest line on the way. */
  lineOf(path: YamlPath): number {
    let node: unknown = this.#doc.contents;
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

  /** `<file>, line <n>: <message>` for the value at `path`, with `{file, line, key}` as details. */
  fail(path: YamlPath, message: string): MlopsError {
    return this.error(this.lineOf(path), message, formatPath(path));
  }

  error(line: number, message: string, key?: string): MlopsError {
    return invalidParam(`${this.file}, line ${line}: ${message}`, {
      file: this.file,
      line,
      ...(key ? { key } : {}),
    });
  }

  #line(node: unknown): number | undefined {
    const range = (node as Node | null)?.range;
    return range ? this.#lines.linePos(range[0]).line : undefined;
  }
}

/** `actions.webhook.url`, `checks[1].lt`, `drift.per_column["log return"]`. */
export function formatPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
