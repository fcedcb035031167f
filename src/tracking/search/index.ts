/**
 * @module tracking/search: MLflow's search grammar (filter and order_by) for runs and experiments,
 * parsed to a typed AST and compiled to SQL that behaves the same on SQLite and PostgreSQL.
 */
export type {
  Comparator,
  Comparison,
  EntityType,
  Filter,
  ListComparator,
  ListComparison,
  NumberComparator,
  NumberComparison,
  OrderBy,
  StringComparator,
  StringComparison,
} from './ast.js';
export {
  RUN_ATTRIBUTES,
  RUN_GRAMMAR,
  parseRunFilter,
  parseRunFilter as parseSearchFilter,
  parseRunOrderBy,
  parseRunOrderBy as parseOrderBy,
  parseRunOrderByList,
  type RunAttribute,
} from './run-grammar.js';
export {
  EXPERIMENT_GRAMMAR,
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseExperimentOrderByList,
} from './experiment-grammar.js';
export { parseFilter } from './filter-parser.js';
export { parseOrderByClause, parseOrderByList } from './order-by-parser.js';
export type { ResolvedIdentifier, SearchGrammar } from './grammar.js';
export { searchRunIds, type RunIdPage } from './run-search.js';
export { searchExperimentIds, type ExperimentIdPage } from './experiment-search.js';
export { DEFAULT_MAX_RESULTS, MAX_RESULTS_LIMIT } from './pagination.js';
