import type {
  Comparator,
  Comparison,
  Filter,
  ListComparator,
  NumberComparator,
  StringComparator,
} from './ast.js';
import type { ResolvedIdentifier, SearchGrammar } from './grammar.js';
import { readIdentifier, type RawIdentifier } from './identifier-parser.js';
import { tokenize, type Token } from './lexer.js';
import { TokenCursor } from './token-cursor.js';

const NUMBER_COMPARATORS: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>='];
const STRING_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const LIST_COMPARATORS: readonly Comparator[] = ['IN', 'NOT IN'];

/**
 * Parses a search filter: comparisons `<identifier> <comparator> <value>` joined by AND. OR, NOT
 * and parentheses are refused, as MLflow does. An empty or blank filter gives `[]` (everything).
 * Every error is INVALID_PARAMETER_VALUE naming the 1-based position, the offending token and what
 * was expected.
 */
export function parseFilter(text: string, grammar: SearchGrammar): Filter {
  const cursor = new TokenCursor(tokenize(text, 'filter'), 'filter');
  const comparisons: Comparison[] = [];
  if (cursor.peek().kind === 'eof') return comparisons;
  for (;;) {
    comparisons.push(readComparison(cursor, grammar));
    const token = cursor.peek();
    if (token.kind === 'eof') return comparisons;
    if (cursor.atWord('AND')) {
      cursor.next();
      if (cursor.peek().kind === 'eof') throw cursor.error('expected a comparison after AND');
      continue;
    }
    if (cursor.atWord('OR')) throw cursor.error('only AND joins comparisons (OR is not supported)');
    if (token.kind === 'lparen' || token.kind === 'rparen') {
      throw cursor.error('parentheses are not supported; join comparisons with AND');
    }
    throw cursor.error('expected AND or the end of the filter');
  }
}

function readComparison(cursor: TokenCursor, grammar: SearchGrammar): Comparison {
  const start = cursor.peek();
  if (start.kind === 'lparen') {
    throw cursor.error('parentheses are not supported; join comparisons with AND');
  }
  if (cursor.atWord('NOT')) throw cursor.error('NOT is not supported; use != or NOT IN');
  if (cursor.atWord('AND') || cursor.atWord('OR')) throw cursor.error('expected a comparison');
  const raw = readIdentifier(cursor);
  if (typeof raw === 'string') throw cursor.error(raw);
  const resolved = grammar.resolve(raw.type, raw.key, 'filter');
  if (typeof resolved === 'string') throw cursor.error(resolved, identifierToken(raw));

  const comparatorToken = cursor.peek();
  const comparator = readComparator(cursor, resolved, raw);
  const base = { entity: resolved.entity, key: resolved.key, position: raw.position };
  if (comparator === 'IN' || comparator === 'NOT IN') {
    if (!resolved.allowsList) {
      throw cursor.error(
        `${comparator} takes a list only for attributes.run_id; compare ${raw.text} with = or !=`,
        comparatorToken,
      );
    }
    return { ...base, kind: 'list', comparator, values: readList(cursor) };
  }
  if (resolved.valueKind === 'number') {
    return {
      ...base,
      kind: 'number',
      comparator: comparator as NumberComparator,
      value: readNumber(cursor, raw),
    };
  }
  return {
    ...base,
    kind: 'string',
    comparator: comparator as StringComparator,
    value: readString(cursor, raw),
  };
}

/** A pseudo token spanning the identifier, so errors about it show the whole identifier. */
function identifierToken(raw: RawIdentifier): Token {
  return { kind: 'word', text: raw.text, value: raw.text, position: raw.position };
}

function readComparator(
  cursor: TokenCursor,
  resolved: ResolvedIdentifier,
  raw: RawIdentifier,
): Comparator | ListComparator {
  const allowed = [
    ...(resolved.valueKind === 'number' ? NUMBER_COMPARATORS : STRING_COMPARATORS),
    ...(resolved.allowsList ? LIST_COMPARATORS : []),
  ];
  const expected = `expected a comparator (${allowed.join(', ')})`;
  const token = cursor.peek();
  let comparator: Comparator;
  if (token.kind === 'op') {
    if (token.value === '<>') throw cursor.error("unsupported comparator '<>'; use '!='");
    if (token.value === '==') throw cursor.error("unsupported comparator '=='; use '='");
    comparator = token.value as Comparator;
    cursor.next();
  } else if (['LIKE', 'ILIKE', 'IN'].some((w) => cursor.atWord(w))) {
    comparator = token.value.toUpperCase() as Comparator;
    cursor.next();
  } else if (cursor.atWord('NOT')) {
    cursor.next();
    if (!cursor.atWord('IN')) throw cursor.error('expected IN after NOT (NOT IN)');
    cursor.next();
    comparator = 'NOT IN';
  } else {
    throw cursor.error(
      token.kind === 'unknown' || token.kind === 'word'
        ? `${expected}; quote keys that contain spaces or other special characters, e.g. metrics."f1 score"`
        : expected,
    );
  }
  if (!allowed.includes(comparator) && !LIST_COMPARATORS.includes(comparator)) {
    const what = resolved.valueKind === 'number' ? 'a number' : 'a string';
    throw cursor.error(`${comparator} does not apply to ${raw.text}, ${what}; ${expected}`, token);
  }
  return comparator;
}

function readNumber(cursor: TokenCursor, raw: RawIdentifier): number {
  const token = cursor.peek();
  if (token.kind === 'number') {
    cursor.next();
    return Number(token.value);
  }
  if (token.kind === 'string' || token.kind === 'dquoted') {
    throw cursor.error(`${raw.text} takes an unquoted number, not a quoted string`);
  }
  throw cursor.error(`expected a number after the comparator for ${raw.text}`);
}

function readString(cursor: TokenCursor, raw: RawIdentifier): string {
  const token = cursor.peek();
  if (token.kind === 'string' || token.kind === 'dquoted') {
    cursor.next();
    return token.value;
  }
  throw cursor.error(`${raw.text} takes a quoted string value, e.g. '${exampleValue(token)}'`);
}

function exampleValue(token: Token): string {
  return token.kind === 'number' || token.kind === 'word' ? token.text : 'value';
}

function readList(cursor: TokenCursor): string[] {
  if (cursor.peek().kind !== 'lparen') {
    throw cursor.error("expected a parenthesised list of quoted strings, e.g. ('a', 'b')");
  }
  cursor.next();
  const values: string[] = [];
  for (;;) {
    const token = cursor.peek();
    if (token.kind !== 'string' && token.kind !== 'dquoted') {
      throw cursor.error('expected a quoted string in the list');
    }
    values.push(token.value);
    cursor.next();
    const separator = cursor.next();
    if (separator.kind === 'rparen') return values;
    if (separator.kind !== 'comma') throw cursor.error("expected ',' or ')'", separator);
  }
}
