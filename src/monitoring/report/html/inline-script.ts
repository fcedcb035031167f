import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MlopsError } from '../../../core/index.js';

const ECHARTS_FILE = 'echarts/dist/echarts.common.min.js';
let echartsSource: string | undefined;

/** ECharts (line, bar and common components), read once from the installed package. */
export function echartsScript(): string {
  if (echartsSource === undefined) {
    let path: string;
    try {
      path = createRequire(import.meta.url).resolve(ECHARTS_FILE);
    } catch (err) {
      throw new MlopsError(
        'INTERNAL_ERROR',
        `Cannot find ${ECHARTS_FILE} to inline into the HTML report; reinstall mlops (echarts is one of its dependencies).`,
        { cause: err },
      );
    }
    echartsSource = readFileSync(path, 'utf8');
  }
  return echartsSource;
}

/**
 * Script text that cannot end its `<script>` element early: the HTML parser ends a script at
 * `</script` and treats `<!--` (then `<script`) specially. Inside JavaScript strings, regexes and
 * comments `<\/` and `<\!--` mean the same characters, so the code is unchanged.
 */
export function safeScriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * JSON that is also inert inside `<script type="application/json">`: `<`, `>` and `&` become
 * \u escapes (legal only inside JSON strings, which is the only place they can occur), and so
 * do U+2028/U+2029.
 */
export function safeJsonText(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The CSP source that allows exactly this inline script. */
export function scriptHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
