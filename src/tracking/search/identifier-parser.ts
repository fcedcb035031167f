import type { Token } from './lexer.js';
import type { TokenCursor } from './token-cursor.js';

/** An identifier as written: its type prefix (if any) and key, quotes removed. */
export interface RawIdentifier {
  readonly type: string | undefined;
  readonly key: string;
  readonly position: number;
  /** Source text, for error messages. */
  readonly text: string;
}

const QUOTED = new Set(['dquoted', 'backtick', 'string']);

/**
 * Reads `<type>.<key>` or a bare key. Accepted forms: `metrics.rmse`, `tags.mlflow.user` (split at
 * the first dot), `metrics."f1 score"`, ``tags.`mlflow.user` ``, `` `metrics`.`f1 score` ``, and a
 * bare key, plain or quoted (`status`, `` `Run Name` ``). Returns an error message when the cursor
 * is not at an identifier.
 */
export function readIdentifier(cursor: TokenCursor): RawIdentifier | string {
  const first = cursor.peek();
  if (first.kind === 'word') {
    cursor.next();
    const dot = first.value.indexOf('.');
    if (dot >= 0) {
      const type = first.value.slice(0, dot);
      const key = first.value.slice(dot + 1);
      return key === '' ? quotedKey(cursor, first, type) : identifier(first, type, key, first);
    }
    if (cursor.peek().kind === 'dot') {
      cursor.next();
      return keyAfterDot(cursor, first, first.value);
    }
    return identifier(first, undefined, first.value, first);
  }
  if (first.kind === 'dquoted' || first.kind === 'backtick') {
    cursor.next();
    if (cursor.peek().kind === 'dot') {
      cursor.next();
      return keyAfterDot(cursor, first, first.value);
    }
    return identifier(first, undefined, first.value, first);
  }
  return 'expected an identifier such as metrics.rmse, params.lr, tags."my tag" or start_time';
}

/** After `metrics.`, which the lexer keeps in one word: the key must be a quoted token. */
function quotedKey(cursor: TokenCursor, start: Token, type: string): RawIdentifier | string {
  const next = cursor.peek();
  if (!QUOTED.has(next.kind)) return `expected a key after '${start.text}'`;
  cursor.next();
  return identifier(start, type, next.value, next);
}

function keyAfterDot(cursor: TokenCursor, start: Token, type: string): RawIdentifier | string {
  const next = cursor.peek();
  if (next.kind !== 'word' && !QUOTED.has(next.kind)) return `expected a key after '${type}.'`;
  cursor.next();
  return identifier(start, type, next.value, next);
}

function identifier(
  start: Token,
  type: string | undefined,
  key: string,
  end: Token,
): RawIdentifier {
  const text =
    start === end ? start.text : `${start.text}${start.text.endsWith('.') ? '' : '.'}${end.text}`;
  return { type, key, position: start.position, text };
}
