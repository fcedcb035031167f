import { sql, type RawBuilder } from 'kysely';
import { MlopsError } from '../../core/index.js';
import type { Dialect } from '../../storage/index.js';
import type { Comparison, OrderBy } from './ast.js';
import type { RunAttribute } from './run-grammar.js';
import { allOf, compareNumber, compareString, sortableText } from './sql-conditions.js';

type Sql = RawBuilder<unknown>;

/** Everything the run id query depends on, already validated. */
export interface RunQueryPlan {
  readonly dialect: Dialect;
  readonly experimentIds: readonly number[];
  /** `undefined`: every lifecycle stage (ViewType ALL). */
  readonly lifecycleStage: 'active' | 'deleted' | undefined;
  /** Metric, param, tag and attribute comparisons (no datasets). */
  readonly filters: readonly Comparison[];
  readonly orderBy: readonly OrderBy[];
  /**
   * Index in `filters` of a metric/param/tag comparison to read first, through its (key, value)
   * index; `undefined` reads the experiments' runs first. See `chooseDriver`.
   */
  readonly driver: number | undefined;
  readonly limit: number;
  readonly offset: number;
}

const RUN_COLUMNS: Readonly<Record<RunAttribute, string>> = {
  run_id: 'run_uuid',
  run_name: 'name',
  status: 'status',
  user_id: 'user_id',
  artifact_uri: 'artifact_uri',
  start_time: 'start_time',
  end_time: 'end_time',
};

const KEY_VALUE_TABLES = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;

/**
 * The run id query. Each metric, param or tag comparison is an inner join on its table's
 * (run_uuid, key) primary key, which matches at most one row, so joins never duplicate runs, and
 * a run lacking the key drops out (even for `!=`), as MLflow specifies. Tables are joined with
 * CROSS JOIN because SQLite then keeps the written order, which `driver` chooses (without
 * statistics SQLite guesses badly); PostgreSQL reorders freely.
 *
 * Order keys are LEFT JOINs; a missing key sorts last in both directions, and for metrics a NaN
 * sorts after every number and before a missing key (MLflow's SQL store). The tail is
 * `start_time DESC` (unless ordered already) and then `run_uuid`.
 */
export function runIdQuery(plan: RunQueryPlan): RawBuilder<{ run_uuid: string }> {
  const { dialect } = plan;
  const from: Sql[] = [];
  const where: Sql[] = [];
  const driver = plan.driver === undefined ? undefined : plan.filters[plan.driver];
  const anchor = driver === undefined ? 'r' : `f${plan.driver}`;
  const runs = sql`${sql.table('runs')} as ${sql.id('r')}`;
  if (driver === undefined) from.push(runs);

  plan.filters.forEach((filter, i) => {
    const alias = `f${i}`;
    if (filter.entity === 'attribute') {
      where.push(attributeCondition(dialect, filter));
      return;
    }
    const table = KEY_VALUE_TABLES[filter.entity as keyof typeof KEY_VALUE_TABLES];
    const source = sql`${sql.table(table)} as ${sql.id(alias)}`;
    // The driver goes first; the others join on its run_uuid, so they filter before `runs` is read.
    if (i === plan.driver) from.unshift(source);
    else from.push(source);
    if (alias !== anchor) {
      where.push(sql`${sql.ref(`${alias}.run_uuid`)} = ${sql.ref(`${anchor}.run_uuid`)}`);
    }
    where.push(sql`${sql.ref(`${alias}.key`)} = ${filter.key}`);
    where.push(valueCondition(dialect, alias, filter));
  });
  if (driver !== undefined) {
    from.push(runs);
    where.push(sql`${sql.ref('r.run_uuid')} = ${sql.ref(`${anchor}.run_uuid`)}`);
  }
  where.push(
    sql`${sql.ref('r.experiment_id')} in (${sql.join(plan.experimentIds.map((id) => sql`${id}`))})`,
  );
  if (plan.lifecycleStage !== undefined) {
    where.push(sql`${sql.ref('r.lifecycle_stage')} = ${plan.lifecycleStage}`);
  }

  const joins: Sql[] = [];
  const orderTerms: Sql[] = [];
  plan.orderBy.forEach((order, i) => {
    const direction = sql.raw(order.ascending ? 'asc' : 'desc');
    if (order.entity === 'attribute') {
      const column = sql.ref(`r.${RUN_COLUMNS[order.key as RunAttribute]}`);
      if (order.key === 'end_time') {
        orderTerms.push(sql`case when ${column} is null then 1 else 0 end`); // NULL end_time last
      }
      const isText = order.key !== 'start_time' && order.key !== 'end_time';
      orderTerms.push(sql`${isText ? sortableText(dialect, column) : column} ${direction}`);
      return;
    }
    const alias = `o${i}`;
    const table = KEY_VALUE_TABLES[order.entity as keyof typeof KEY_VALUE_TABLES];
    joins.push(
      sql`left join ${sql.table(table)} as ${sql.id(alias)} on ${sql.ref(`${alias}.run_uuid`)} = ${sql.ref('r.run_uuid')} and ${sql.ref(`${alias}.key`)} = ${order.key}`,
    );
    const missing = sql`${sql.ref(`${alias}.run_uuid`)} is null`;
    const value = sql.ref(`${alias}.value`);
    if (order.entity === 'metric') {
      orderTerms.push(
        sql`case when ${missing} then 2 when ${sql.ref(`${alias}.is_nan`)} = 1 then 1 else 0 end`,
        sql`${value} ${direction}`,
      );
    } else {
      orderTerms.push(
        sql`case when ${missing} then 1 else 0 end`,
        sql`${sortableText(dialect, value)} ${direction}`,
      );
    }
  });
  const ordered = new Set(plan.orderBy.filter((o) => o.entity === 'attribute').map((o) => o.key));
  if (!ordered.has('start_time')) orderTerms.push(sql`${sql.ref('r.start_time')} desc`);
  if (!ordered.has('run_id')) orderTerms.push(sortableText(dialect, sql.ref('r.run_uuid')));

  return sql<{ run_uuid: string }>`select ${sql.ref('r.run_uuid')} as ${sql.id('run_uuid')}
    from ${sql.join(from, sql` cross join `)} ${sql.join(joins, sql` `)}
    where ${allOf(where)}
    order by ${sql.join(orderTerms)}
    limit ${plan.limit} offset ${plan.offset}`;
}

function attributeCondition(dialect: Dialect, filter: Comparison): Sql {
  const column = sql.ref(`r.${RUN_COLUMNS[filter.key as RunAttribute]}`);
  switch (filter.kind) {
    case 'number':
      return compareNumber(column, filter.comparator, filter.value);
    case 'string':
      return compareString(dialect, column, filter.comparator, filter.value);
    case 'list': {
      const values = sql.join(filter.values.map((v) => sql`${v}`));
      return sql`${column} ${sql.raw(filter.comparator === 'IN' ? 'in' : 'not in')} (${values})`;
    }
  }
}

/**
 * The value test on a metric/param/tag row. A NaN metric (stored as 0 with is_nan = 1) matches
 * only `!=`: it is neither equal to, smaller nor greater than any number.
 */
function valueCondition(dialect: Dialect, alias: string, filter: Comparison): Sql {
  const value = sql.ref(`${alias}.value`);
  if (filter.kind === 'number') {
    const isNan = sql.ref(`${alias}.is_nan`);
    const test = compareNumber(value, filter.comparator, filter.value);
    return filter.comparator === '!='
      ? sql`(${test} or ${isNan} = 1)`
      : sql`${isNan} = 0 and ${test}`;
  }
  if (filter.kind === 'string') {
    return compareString(dialect, value, filter.comparator, filter.value);
  }
  throw new MlopsError('INTERNAL_ERROR', `A list comparison on ${filter.entity}s reached SQL.`);
}
