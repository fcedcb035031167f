import { isAbsolute, resolve } from 'node:path';
import { MlopsError } from '../core/index.js';

export type DatabaseUri =
  | { readonly kind: 'sqlite'; readonly path: string; readonly uri: string }
  | {
      readonly kind: 'postgres';
      readonly connectionString: string;
      readonly schema: string | undefined;
      readonly uri: string;
    };

/**
 * Parses a metadata store URI. `sqlite:///abs/file.db`, `sqlite:rel/file.db`, `sqlite::memory:`,
 * `postgresql://user@host:port/db[?schema=name]` (the schema is created when missing: one per
 * test file, or per tenant).
 */
export function parseDatabaseUri(uri: string, cwd = process.cwd()): DatabaseUri {
  if (uri.startsWith('sqlite:')) {
    let rest = uri.slice('sqlite:'.length);
    if (rest === ':memory:' || rest === '///:memory:')
      return { kind: 'sqlite', path: ':memory:', uri };
    if (rest.startsWith('//')) rest = rest.slice(2);
    if (rest === '') throw badUri(uri, 'the SQLite URI names no file');
    const path = isAbsolute(rest) ? rest : resolve(cwd, rest);
    return { kind: 'sqlite', path, uri };
  }
  if (uri.startsWith('postgresql://') || uri.startsWith('postgres://')) {
    const url = new URL(uri);
    const schema = url.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw badUri(uri, `schema '${schema}' must be lower-case letters, digits and _`);
    }
    url.searchParams.delete('schema');
    return { kind: 'postgres', connectionString: url.toString(), schema, uri };
  }
  throw new MlopsError(
    'UNSUPPORTED_URI',
    `Unsupported tracking URI '${uri}': expected sqlite:<path> or postgresql://user@host:port/db.`,
  );
}

function badUri(uri: string, why: string): MlopsError {
  return new MlopsError('UNSUPPORTED_URI', `Invalid database URI '${uri}': ${why}.`);
}
