/**
 * The typed AST of MLflow's search grammar: a filter is a list of comparisons joined by AND, an
 * order_by clause is one identifier and a direction. Attribute keys are canonical (`created` is
 * already `start_time`, `Run Name` is `run_name`).
 */

/** What a `<type>.<key>` identifier names. */
export type EntityType = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

export type NumberComparator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type StringComparator = '=' | '!=' | 'LIKE' | 'ILIKE';
export type ListComparator = 'IN' | 'NOT IN';
export type Comparator = NumberComparator | StringComparator | ListComparator;

interface ComparisonBase {
  readonly entity: EntityType;
  readonly key: string;
  /** 1-based character position of the identifier in the filter, for later error messages. */
  readonly position: number;
}

/** `metrics.rmse < 1`, `attributes.start_time >= 1700000000000`. */
export interface NumberComparison extends ComparisonBase {
  readonly kind: 'number';
  readonly comparator: NumberComparator;
  readonly value: number;
}

/** `params.model = 'lr'`, `tags."user-name" ILIKE '%tom%'`. */
export interface StringComparison extends ComparisonBase {
  readonly kind: 'string';
  readonly comparator: StringComparator;
  readonly value: string;
}

/** `attributes.run_id IN ('a1', 'b2')` (only run_id, and dataset fields). */
export interface ListComparison extends ComparisonBase {
  readonly kind: 'list';
  readonly comparator: ListComparator;
  readonly values: readonly string[];
}

export type Comparison = NumberComparison | StringComparison | ListComparison;

/** A parsed filter; empty means "everything". */
export type Filter = readonly Comparison[];

/** One parsed order_by clause. */
export interface OrderBy {
  readonly entity: EntityType;
  readonly key: string;
  readonly ascending: boolean;
}
