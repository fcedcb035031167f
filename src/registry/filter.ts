import { invalidParam } from '../core/index.js';

export interface FilterClause {
  /** Lower-cased attribute, e.g. `name`, `run_id`. */
  readonly attribute: string;
  /** Upper-cased: `=`, `LIKE` or `ILIKE`. */
  readonly op: '=' | 'LIKE' | 'ILIKE';
  readonly value: string;
}

const CLAUSE =
  /\s*([A-Za-z_][\w.]*|`[^`]+`)\s*(=|!=|<>|<=|>=|<|>|\bLIKE\b|\bILIKE\b|\bIN\b|\bNOT\s+LIKE\b)\s*('(?:[^']*)'|"(?:[^"]*)")\s*/iy;
const AND = /AND\b/iy;

/**
 * Parses the small filter grammar the registry supports: clauses `attr op 'value'` joined by
 * AND, with `op` in `allowed[attr]`. Anything else is INVALID_PARAMETER_VALUE naming the rule.
 */
export function parseRegistryFilter(
  filter: string | undefined,
  allowed: Readonly<Record<string, readonly FilterClause['op'][]>>,
  what: string,
): FilterClause[] {
  if (filter === undefined || filter.trim() === '') return [];
  const supported = Object.entries(allowed)
    .map(([a, ops]) => ops.map((op) => `${a} ${op} 'value'`).join(', '))
    .join(', ');
  const refuse = (detail: string) =>
    invalidParam(
      `Invalid filter '${filter}' for ${what}: ${detail}. Supported: ${supported}, joined by AND.`,
      { field: 'filter' },
    );
  const clauses: FilterClause[] = [];
  let pos = 0;
  for (;;) {
    CLAUSE.lastIndex = pos;
    const m = CLAUSE.exec(filter);
    if (!m) throw refuse(`cannot parse at position ${pos}`);
    const attribute = m[1]!.replace(/^`|`$/g, '').toLowerCase();
    const op = m[2]!.toUpperCase().replace(/\s+/g, ' ');
    const ops = allowed[attribute];
    if (!ops) throw refuse(`unsupported attribute '${attribute}'`);
    if (!(ops as readonly string[]).includes(op)) {
      throw refuse(`unsupported operator '${op}' for '${attribute}'`);
    }
    clauses.push({ attribute, op: op as FilterClause['op'], value: m[3]!.slice(1, -1) });
    pos = CLAUSE.lastIndex;
    if (pos >= filter.length) return clauses;
    AND.lastIndex = pos;
    if (!AND.exec(filter)) throw refuse(`expected AND at position ${pos}`);
    pos = AND.lastIndex;
  }
}

/** A SQL LIKE pattern (`%`, `_`, no escape character) as an anchored regular expression. */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
}
