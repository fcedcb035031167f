import { MlopsError } from '../../core/index.js';
import type { OrderBy } from './ast.js';
import type { SearchGrammar } from './grammar.js';
import { readIdentifier } from './identifier-parser.js';
import { tokenize } from './lexer.js';
import { TokenCursor } from './token-cursor.js';

/**
 * Parses one order_by clause, `<identifier> [ASC|DESC]` (ASC by default, direction
 * case-insensitive), e.g. `metrics.rmse DESC`, ``tags.`mlflow.user` ``, `start_time`.
 */
export function parseOrderByClause(clause: string, grammar: SearchGrammar): OrderBy {
  const subject = `order_by clause '${clause}'`;
  const cursor = new TokenCursor(tokenize(clause, subject), subject);
  const raw = readIdentifier(cursor);
  if (typeof raw === 'string') throw cursor.error(raw);
  const resolved = grammar.resolve(raw.type, raw.key, 'order_by');
  if (typeof resolved === 'string') {
    throw cursor.error(resolved, {
      kind: 'word',
      text: raw.text,
      value: raw.text,
      position: raw.position,
    });
  }
  let ascending = true;
  if (cursor.atWord('ASC') || cursor.atWord('DESC')) {
    ascending = cursor.next().value.toUpperCase() === 'ASC';
  }
  if (cursor.peek().kind !== 'eof')
    throw cursor.error('expected ASC, DESC or the end of the clause');
  return { entity: resolved.entity, key: resolved.key, ascending };
}

/** Parses every clause and refuses a key that appears twice (MLflow does too). */
export function parseOrderByList(
  clauses: readonly string[] | undefined,
  grammar: SearchGrammar,
): OrderBy[] {
  const parsed = (clauses ?? []).map((clause) => parseOrderByClause(clause, grammar));
  const seen = new Set<string>();
  for (const [i, item] of parsed.entries()) {
    const id = `${item.entity}\u0000${item.key}`;
    if (seen.has(id)) {
      throw new MlopsError(
        'INVALID_PARAMETER_VALUE',
        `Invalid order_by: '${clauses?.[i] ?? ''}' orders by ${item.entity} '${item.key}' a second time; list each key once.`,
      );
    }
    seen.add(id);
  }
  return parsed;
}
