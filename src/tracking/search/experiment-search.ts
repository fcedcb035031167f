import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect, Schema } from '../../storage/index.js';
import type { SearchExperimentsInput } from '../tracking-store.js';
import type { Comparison, OrderBy } from './ast.js';
import { parseExperimentFilter, parseExperimentOrderByList } from './experiment-grammar.js';
import { pageOf, resolvePage } from './pagination.js';
import { allOf, compareNumber, compareString, sortableText } from './sql-conditions.js';
import { lifecycleStageOf } from './view-type.js';

type Sql = RawBuilder<unknown>;

export interface ExperimentIdPage {
  readonly experimentIds: string[];
  /** Absent on the last page. */
  readonly nextPageToken?: string;
}

/** MLflow's default when no order_by is given. */
const DEFAULT_ORDER: readonly OrderBy[] = [
  { entity: 'attribute', key: 'creation_time', ascending: false },
  { entity: 'attribute', key: 'experiment_id', ascending: true },
];

/**
 * Experiment ids matching an MLflow experiment search: filter on name, creation_time,
 * last_update_time and `tags.<key>`; order by name, experiment_id, creation_time or
 * last_update_time (default `creation_time DESC, experiment_id ASC`; otherwise experiment_id DESC
 * breaks ties, as MLflow's SQL store does). Bad input throws INVALID_PARAMETER_VALUE.
 */
export async function searchExperimentIds(
  db: Kysely<Schema>,
  dialect: Dialect,
  input: SearchExperimentsInput,
): Promise<ExperimentIdPage> {
  const page = resolvePage(input);
  const filters = parseExperimentFilter(input.filter ?? '');
  const parsedOrder = parseExperimentOrderByList(input.orderBy);
  const orderBy = parsedOrder.length > 0 ? parsedOrder : DEFAULT_ORDER;

  const from: Sql[] = [sql`${sql.table('experiments')} as ${sql.id('e')}`];
  const where: Sql[] = [];
  const stage = lifecycleStageOf(input.viewType);
  if (stage !== undefined) where.push(sql`${sql.ref('e.lifecycle_stage')} = ${stage}`);
  filters.forEach((filter, i) => {
    if (filter.entity === 'attribute') {
      where.push(condition(dialect, sql.ref(`e.${filter.key}`), filter));
      return;
    }
    // A tag comparison joins the (experiment_id, key) primary key: one row at most, and an
    // experiment without the tag drops out even for `!=`.
    const alias = `t${i}`;
    from.push(sql`${sql.table('experiment_tags')} as ${sql.id(alias)}`);
    where.push(
      sql`${sql.ref(`${alias}.experiment_id`)} = ${sql.ref('e.experiment_id')}`,
      sql`${sql.ref(`${alias}.key`)} = ${filter.key}`,
      condition(dialect, sql.ref(`${alias}.value`), filter),
    );
  });

  const orderTerms = orderBy.map((order) => {
    const column = sql.ref(`e.${order.key}`);
    const key = order.key === 'name' ? sortableText(dialect, column) : column;
    return sql`${key} ${sql.raw(order.ascending ? 'asc' : 'desc')}`;
  });
  if (!orderBy.some((o) => o.key === 'experiment_id')) {
    orderTerms.push(sql`${sql.ref('e.experiment_id')} desc`);
  }

  const { rows } = await sql<{ experiment_id: number | string }>`
    select ${sql.ref('e.experiment_id')} as ${sql.id('experiment_id')}
    from ${sql.join(from, sql` cross join `)}
    where ${allOf(where)}
    order by ${sql.join(orderTerms)}
    limit ${page.limit + 1} offset ${page.offset}`.execute(db);
  const { items, nextPageToken } = pageOf(
    rows.map((r) => String(r.experiment_id)),
    page,
  );
  return nextPageToken === undefined
    ? { experimentIds: items }
    : { experimentIds: items, nextPageToken };
}

function condition(dialect: Dialect, column: Sql, filter: Comparison): Sql {
  if (filter.kind === 'number') return compareNumber(column, filter.comparator, filter.value);
  if (filter.kind === 'string')
    return compareString(dialect, column, filter.comparator, filter.value);
  return sql`1 = 0`; // the experiment grammar allows no lists
}
