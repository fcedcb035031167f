import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { invalidParam, type MlopsError } from '../../core/index.js';

/** Keys and list indexes from the document root down to a value, e.g. `['stages', 'train', 'deps', 0]`. */
export type SourcePath = readonly (string | number)[];

/** What an error names besides the file and line. */
export interface ErrorSubject {
  readonly stage?: string;
  readonly field?: string;
  readonly [key: string]: unknown;
}

/** `<file>, line <n>: <message>`, with `{file, line, ...subject}` as details. */
export function specError(
  file: string,
  line: number,
  message: string,
  subject: ErrorSubject = {},
): MlopsError {
  return invalidParam(`${file}, line ${line}: ${message}`, { file, line, ...subject });
}

/**
 * A parsed YAML file that remembers where each value was written. Values are read as plain JS
 * (`toJS`) and errors find their line afterwards from the path of the value (`lineOf`), so the
 * happy path pays nothing for positions.
 */
export class YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter = new LineCounter();

  constructor(file: string, text: string) {
    this.file = file;
    this.doc = parseDocument(text, {
      lineCounter: this.lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      // `<<: *defaults`, as DVC's YAML reader allows.
      merge: true,
    });
    const syntax = this.doc.errors[0];
    if (syntax) {
      const line = this.lineCounter.linePos(syntax.pos[0]).line;
      const why = syntax.message.split('\n')[0] ?? '';
      throw specError(file, line, `not valid YAML (${why}).`);
    }
  }

  /** The document as plain values (mappings are objects, in file order). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 1000 });
  }

  /**
   * The line of the value at `path`: a mapping entry's key line, a list item's line, or, when the
   * path leaves what was written (a value produced by a template), the deepest line on the way.
   */
  lineOf(path: SourcePath): number {
    let node: unknown = this.doc.contents;
    let line = 1;
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
  fail(path: SourcePath, message: string, subject: ErrorSubject = {}): MlopsError {
    return specError(this.file, this.lineOf(path), message, subject);
  }

  #line(node: unknown): number | undefined {
    const range = (node as Node | null)?.range;
    return range ? this.lineCounter.linePos(range[0]).line : undefined;
  }
}
