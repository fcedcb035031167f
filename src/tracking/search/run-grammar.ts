import type { EntityType, Filter, OrderBy } from './ast.js';
import { parseFilter } from './filter-parser.js';
import type { ResolvedIdentifier, SearchGrammar } from './grammar.js';
import { parseOrderByClause, parseOrderByList } from './order-by-parser.js';

/** Searchable run attributes (RunInfo's `@searchable_attribute`s) and their value kinds. */
export const RUN_ATTRIBUTES = {
  run_id: 'string',
  run_name: 'string',
  status: 'string',
  user_id: 'string',
  artifact_uri: 'string',
  start_time: 'number',
  end_time: 'number',
} as const;
export type RunAttribute = keyof typeof RUN_ATTRIBUTES;

const ATTRIBUTE_ALIASES: Readonly<Record<string, RunAttribute>> = {
  created: 'start_time',
  Created: 'start_time',
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
};

const TYPE_PREFIXES: Readonly<Record<string, EntityType>> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

const DATASET_FIELDS = new Set(['name', 'digest', 'context']);

/** Run search identifiers, as MLflow's SearchUtils accepts them. */
export const RUN_GRAMMAR: SearchGrammar = {
  resolve(type, key, usage): ResolvedIdentifier | string {
    // Prefixes are matched case-insensitively (MLflow is stricter; nothing else could be meant).
    const entity = type === undefined ? 'attribute' : TYPE_PREFIXES[type.toLowerCase()];
    if (entity === undefined) {
      return `unknown identifier type '${type}'; expected metrics, params, tags, attributes or datasets`;
    }
    if (key === '') return 'the key is empty';
    switch (entity) {
      case 'metric':
        return { entity, key, valueKind: 'number', allowsList: false };
      case 'param':
      case 'tag':
        return { entity, key, valueKind: 'string', allowsList: false };
      case 'dataset':
        if (usage === 'order_by') return 'runs cannot be ordered by dataset fields';
        if (!DATASET_FIELDS.has(key)) {
          return `unknown dataset field '${key}'; expected name, digest or context`;
        }
        return { entity, key, valueKind: 'string', allowsList: true };
      case 'attribute': {
        const attribute = ATTRIBUTE_ALIASES[key] ?? (key in RUN_ATTRIBUTES ? key : undefined);
        if (attribute === undefined) {
          return `unknown run attribute '${key}'; expected one of ${Object.keys(RUN_ATTRIBUTES).join(', ')} (or created, 'run name')`;
        }
        const valueKind = RUN_ATTRIBUTES[attribute as RunAttribute];
        return { entity, key: attribute, valueKind, allowsList: attribute === 'run_id' };
      }
    }
  },
};

/** Parses a run search filter, e.g. `metrics.rmse < 1 and params.model = 'lr'`. */
export function parseRunFilter(filter: string): Filter {
  return parseFilter(filter, RUN_GRAMMAR);
}

/** Parses one run order_by clause, e.g. `metrics.rmse DESC`. */
export function parseRunOrderBy(clause: string): OrderBy {
  return parseOrderByClause(clause, RUN_GRAMMAR);
}

/** Parses a run order_by list, refusing duplicate keys. */
export function parseRunOrderByList(clauses: readonly string[] | undefined): OrderBy[] {
  return parseOrderByList(clauses, RUN_GRAMMAR);
}
