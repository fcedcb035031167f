import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../../storage/index.js';
import type { NumberComparator, StringComparator } from './ast.js';
import { likeSql } from './like-pattern.js';

type Sql = RawBuilder<unknown>;

const OPERATORS: Readonly<Record<NumberComparator, string>> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/**
 * A number as a bound parameter. PostgreSQL types a parameter after the column it meets, so
 * `start_time > '0.5'` would fail to parse as bigint; non-integers are cast to double precision.
 */
export function numberParam(value: number): Sql {
  return Number.isSafeInteger(value) ? sql`${value}` : sql`cast(${value} as double precision)`;
}

/** `column <op> value` for a numeric column (NULL never matches, as in SQL). */
export function compareNumber(column: Sql, comparator: NumberComparator, value: number): Sql {
  return sql`${column} ${sql.raw(OPERATORS[comparator])} ${numberParam(value)}`;
}

/** `column = 'x'`, `<> 'x'`, LIKE or ILIKE; byte-exact `=` on both dialects. */
export function compareString(
  dialect: Dialect,
  column: Sql,
  comparator: StringComparator,
  value: string,
): Sql {
  if (comparator === 'LIKE' || comparator === 'ILIKE') {
    return likeSql(dialect, column, comparator, value);
  }
  return sql`${column} ${sql.raw(comparator === '=' ? '=' : '<>')} ${value}`;
}

/**
 * A string sort key. PostgreSQL sorts text by the database collation (often en_US, which ignores
 * case and punctuation at first); `COLLATE "C"` gives byte order, which is what SQLite does.
 */
export function sortableText(dialect: Dialect, column: Sql): Sql {
  return dialect === 'postgres' ? sql`${column} collate "C"` : column;
}

/** AND of all conditions (TRUE when empty). */
export function allOf(conditions: readonly Sql[]): Sql {
  return conditions.length === 0 ? sql`1 = 1` : sql.join(conditions, sql` and `);
}
