import * as jsYaml from 'js-yaml';
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

/** YAML 1.2's core schema plus merge keys (`<<: *defaults`, as DVC's reader allows). */
// (\`types\` is exported by js-yaml 4 but missing from its type definitions.)
const { merge } = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types;
const FAST_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [merge] });

/**
 * A parsed YAML file that remembers where each value was written. Values are read as plain JS
 * with js-yaml (several times faster than \`yaml\` on a cold start, which a no-op \`mlops repro\`
 * pays for); the positioned \`yaml\` document is built only when a line is needed (errors), and
 * the lines of the top-level stage keys come from a scan of the text. A file js-yaml refuses is
 * parsed with \`yaml\`, whose error names the line.
 */
export class YamlSource {
  readonly file: string;
  readonly text: string;
  #value: unknown;
  #doc: Document | undefined;
  #lineCounter: LineCounter | undefined;
  #keyLines: Map<string, number> | undefined;

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    try {
      this.#value = jsYaml.load(text, { schema: FAST_SCHEMA, filename: file });
    } catch {
      // js-yaml refused it: let \`yaml\` say where (it throws on a syntax error), then read its values.
      this.#value = this.doc.toJS({ maxAliasCount: 1000 });
    }
  }

  /** The positioned document (built on first use). */
  get doc(): Document {
    if (this.#doc) return this.#doc;
    const lineCounter = new LineCounter();
    const doc = parseDocument(this.text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      merge: true,
    });
    const syntax = doc.errors[0];
    if (syntax) {
      const line = lineCounter.linePos(syntax.pos[0]).line;
      const why = syntax.message.split('\n')[0] ?? '';
      throw specError(this.file, line, `not valid YAML (${why}).`);
    }
    this.#doc = doc;
    this.#lineCounter = lineCounter;
    return doc;
  }

  get lineCounter(): LineCounter {
    void this.doc;
    return this.#lineCounter as LineCounter;
  }

  /** The document as plain values (mappings are objects, in file order). */
  toJS(): unknown {
    return structuredClone(this.#value);
  }

  /**
   * The line of top-level mapping \`section\`'s key \`key\` (e.g. a stage under \`stages:\`), from
   * a scan of block-style text; undefined when the scan cannot tell (flow style, odd quoting).
   */
  keyLine(section: string, key: string): number | undefined {
    if (!this.#keyLines) {
      this.#keyLines = new Map();
      const lines = this.text.split('\n');
      const head = lines.findIndex((l) => new RegExp(`^${section}:\\s*(#.*)?$`).test(l));
      let indent: string | undefined;
      for (let i = head + 1; head >= 0 && i < lines.length; i++) {
        const line = lines[i] ?? '';
        if (/^\s*(#.*)?$/.test(line)) continue;
        const m = /^(\s+)(?:"([^"]*)"|'([^']*)'|([^\s:#"'][^:#]*?))\s*:(\s|$)/.exec(line);
        if (!/^\s/.test(line)) break; // the next top-level key
        indent ??= m?.[1];
        if (m && m[1] === indent) this.#keyLines.set(m[2] ?? m[3] ?? m[4] ?? '', i + 1);
      }
    }
    return this.#keyLines.get(key);
  }

  /**
   * The line of the value at `path`: a mapping entry's key line, a list item's line, or, when the
   * path leaves what was written (a value produced by a template), the deepest line on the way.
   */
  lineOf(path: SourcePath): number {
    if (path.length === 2 && path[0] === 'stages' && typeof path[1] === 'string') {
      const fast = this.keyLine('stages', path[1]);
      if (fast !== undefined) return fast;
    }
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
