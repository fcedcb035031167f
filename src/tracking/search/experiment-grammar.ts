import type { EntityType, Filter, OrderBy } from './ast.js';
import { parseFilter } from './filter-parser.js';
import type { ResolvedIdentifier, SearchGrammar } from './grammar.js';
import { parseOrderByClause, parseOrderByList } from './order-by-parser.js';

/** Filterable experiment attributes (MLflow's SearchExperimentsUtils). */
export const EXPERIMENT_FILTER_ATTRIBUTES = {
  name: 'string',
  creation_time: 'number',
  last_update_time: 'number',
} as const;

/** Orderable experiment attributes: the filterable ones plus experiment_id. */
export const EXPERIMENT_ORDER_ATTRIBUTES = {
  ...EXPERIMENT_FILTER_ATTRIBUTES,
  experiment_id: 'number',
} as const;
export type ExperimentAttribute = keyof typeof EXPERIMENT_ORDER_ATTRIBUTES;

const TYPE_PREFIXES: Readonly<Record<string, EntityType>> = {
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  tag: 'tag',
  tags: 'tag',
};

/** Experiment search identifiers: attributes and `tags.<key>`. */
export const EXPERIMENT_GRAMMAR: SearchGrammar = {
  resolve(type, key, usage): ResolvedIdentifier | string {
    const entity = type === undefined ? 'attribute' : TYPE_PREFIXES[type.toLowerCase()];
    if (entity === undefined) {
      return `unknown identifier type '${type}'; experiments are searched by attributes and tags`;
    }
    if (key === '') return 'the key is empty';
    if (entity === 'tag') {
      if (usage === 'order_by') return orderHint();
      return { entity, key, valueKind: 'string', allowsList: false };
    }
    const attributes =
      usage === 'filter' ? EXPERIMENT_FILTER_ATTRIBUTES : EXPERIMENT_ORDER_ATTRIBUTES;
    if (!(key in attributes)) {
      return usage === 'filter'
        ? `unknown experiment attribute '${key}'; expected name, creation_time, last_update_time or tags.<key>`
        : orderHint();
    }
    const valueKind = attributes[key as keyof typeof attributes];
    return { entity, key, valueKind, allowsList: false };
  },
};

function orderHint(): string {
  return 'experiments can be ordered only by name, experiment_id, creation_time or last_update_time';
}

/** Parses an experiment search filter, e.g. `name LIKE 'prod-%' and tags.team = 'ml'`. */
export function parseExperimentFilter(filter: string): Filter {
  return parseFilter(filter, EXPERIMENT_GRAMMAR);
}

/** Parses one experiment order_by clause, e.g. `last_update_time DESC`. */
export function parseExperimentOrderBy(clause: string): OrderBy {
  return parseOrderByClause(clause, EXPERIMENT_GRAMMAR);
}

/** Parses an experiment order_by list, refusing duplicate keys. */
export function parseExperimentOrderByList(clauses: readonly string[] | undefined): OrderBy[] {
  return parseOrderByList(clauses, EXPERIMENT_GRAMMAR);
}
