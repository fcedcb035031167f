import * as jsYaml from 'js-yaml';
import * as yaml from 'yaml';
import { PositionedYaml, yamlError, type MlopsError, type YamlPath } from '../../core/index.js';

/** Keys and list indexes from the document root down to a value, e.g. `['stages', 'train', 'deps', 0]`. */
export type SourcePath = YamlPath;

/** What an error names besides the file and line. */
export interface ErrorSubject {
  readonly stage?: string;
  readonly field?: string;
  readonly [key: string]: unknown;
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
  #positioned: PositionedYaml | undefined;
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

  /** The positioned document (built on first use; a syntax error throws, naming its line). */
  get doc(): PositionedYaml['doc'] {
    return this.#positionedYaml().doc;
  }

  get lineCounter(): PositionedYaml['lineCounter'] {
    return this.#positionedYaml().lineCounter;
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
    return this.#positionedYaml().lineOf(path);
  }

  /** An error at the value `path`. */
  fail(path: SourcePath, message: string, subject: ErrorSubject = {}): MlopsError {
    return yamlError(this.file, this.lineOf(path), message, subject);
  }

  #positionedYaml(): PositionedYaml {
    this.#positioned ??= new PositionedYaml(yaml, this.file, this.text, { merge: true });
    return this.#positioned;
  }
}
