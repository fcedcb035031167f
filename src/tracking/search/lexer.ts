import { syntaxError } from './syntax-error.js';

export type TokenKind =
  | 'word'
  | 'number'
  | 'string'
  | 'dquoted'
  | 'backtick'
  | 'op'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'dot'
  | 'unknown'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token, quotes included (what error messages show). */
  readonly text: string;
  /** Unquoted content for quoted tokens, else the same as `text`. */
  readonly value: string;
  /** 1-based character position. */
  readonly position: number;
}

// Words take `.` so `tags.mlflow.user` is one token, and `/` and `-` so keys such as
// `metrics.train/loss` need no quotes (MLflow would demand them; accepting them is harmless).
const WORD = /[A-Za-z_][A-Za-z0-9_.\-/]*/y;
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const OPERATOR = /!=|<>|<=|>=|==|=|<|>/y;
const QUOTES: Readonly<Record<string, TokenKind>> = {
  "'": 'string',
  '"': 'dquoted',
  '`': 'backtick',
};
const PUNCTUATION: Readonly<Record<string, TokenKind>> = {
  '(': 'lparen',
  ')': 'rparen',
  ',': 'comma',
  '.': 'dot',
};

/**
 * Splits a filter or order_by clause into tokens. Never throws for odd characters (they become
 * `unknown` tokens so the parser can say what it expected there); throws only for an unterminated
 * quote. A quote character inside a quoted token is written twice (`'it''s'`).
 *
 * @param subject names the input in error messages (`filter`, `order_by clause '...'`)
 */
export function tokenize(input: string, subject: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string): void => {
    const text = input.slice(start, end);
    tokens.push({ kind, text, value: value ?? text, position: start + 1 });
    i = end;
  };
  const match = (re: RegExp): number => {
    re.lastIndex = i;
    return re.test(input) ? re.lastIndex : -1;
  };
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const quoteKind = QUOTES[ch];
    if (quoteKind !== undefined) {
      const { end, value } = readQuoted(input, i, subject);
      push(quoteKind, i, end, value);
      continue;
    }
    // A sign or a dot starts a number only when a digit follows; `.x` is a dot then a word.
    const numberEnd = /[0-9.+-]/.test(ch) ? match(NUMBER) : -1;
    if (numberEnd > 0) {
      push('number', i, numberEnd);
      continue;
    }
    const wordEnd = match(WORD);
    if (wordEnd > 0) {
      push('word', i, wordEnd);
      continue;
    }
    const opEnd = match(OPERATOR);
    if (opEnd > 0) {
      push('op', i, opEnd);
      continue;
    }
    push(PUNCTUATION[ch] ?? 'unknown', i, i + 1);
  }
  tokens.push({ kind: 'eof', text: '', value: '', position: input.length + 1 });
  return tokens;
}

function readQuoted(input: string, start: number, subject: string): { end: number; value: string } {
  const quote = input[start] as string;
  let value = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === quote) {
      if (input[i + 1] !== quote) return { end: i + 1, value };
      i++; // a doubled quote stands for one quote character
    }
    value += ch;
    i++;
  }
  throw syntaxError(
    subject,
    start + 1,
    input.slice(start),
    `unterminated quoted text; close it with ${quote}`,
  );
}
