import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../../storage/index.js';

type Piece =
  | { readonly kind: 'any' }
  | { readonly kind: 'one' }
  | { readonly kind: 'char'; readonly char: string };

/**
 * `column LIKE pattern` (case-sensitive) or `ILIKE` (case-insensitive), the same on both dialects.
 * `%` matches any run of characters, `_` one character, and a backslash makes the next character
 * literal (PostgreSQL's default escape; a trailing backslash is literal).
 *
 * SQLite's LIKE ignores ASCII case and the pragma that changes that is per connection, so on
 * SQLite the pattern becomes a GLOB (always case-sensitive); for ILIKE every cased letter becomes
 * a class such as `[aA]`, which also covers non-ASCII letters that SQLite's LIKE would not fold.
 */
export function likeSql(
  dialect: Dialect,
  column: RawBuilder<unknown>,
  comparator: 'LIKE' | 'ILIKE',
  pattern: string,
): RawBuilder<boolean> {
  const pieces = parseLike(pattern);
  if (dialect === 'postgres') {
    const op = sql.raw(comparator);
    return sql<boolean>`${column} ${op} ${toPostgresLike(pieces)}`;
  }
  return sql<boolean>`${column} GLOB ${toGlob(pieces, comparator === 'ILIKE')}`;
}

function parseLike(pattern: string): Piece[] {
  const chars = [...pattern]; // code points: `_` and GLOB's `?` both match one character
  const pieces: Piece[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '%') pieces.push({ kind: 'any' });
    else if (ch === '_') pieces.push({ kind: 'one' });
    else if (ch === '\\' && i + 1 < chars.length)
      pieces.push({ kind: 'char', char: chars[++i] as string });
    else pieces.push({ kind: 'char', char: ch });
  }
  return pieces;
}

function toPostgresLike(pieces: readonly Piece[]): string {
  return pieces
    .map((p) => {
      if (p.kind === 'any') return '%';
      if (p.kind === 'one') return '_';
      return '%_\\'.includes(p.char) ? `\\${p.char}` : p.char;
    })
    .join('');
}

function toGlob(pieces: readonly Piece[], ignoreCase: boolean): string {
  return pieces
    .map((p) => {
      if (p.kind === 'any') return '*';
      if (p.kind === 'one') return '?';
      if ('*?['.includes(p.char)) return `[${p.char}]`;
      if (!ignoreCase) return p.char;
      const variants = new Set(
        [p.char, p.char.toLowerCase(), p.char.toUpperCase()].filter((c) => [...c].length === 1),
      );
      return variants.size > 1 ? `[${[...variants].join('')}]` : p.char;
    })
    .join('');
}
