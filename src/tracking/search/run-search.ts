import type { Kysely } from 'kysely';
import { MlopsError } from '../../core/index.js';
import type { Dialect, Schema } from '../../storage/index.js';
import type { SearchRunsInput } from '../tracking-store.js';
import { resolvePage, pageOf } from './pagination.js';
import { parseRunFilter, parseRunOrderByList } from './run-grammar.js';
import { chooseDriver } from './run-search-driver.js';
import { runIdQuery } from './run-search-sql.js';
import { syntaxError } from './syntax-error.js';
import { lifecycleStageOf } from './view-type.js';

export interface RunIdPage {
  readonly runIds: string[];
  /** Absent on the last page. */
  readonly nextPageToken?: string;
}

/**
 * Run ids matching an MLflow search (filter, order_by, view type, page), in order. The caller
 * loads the runs. Bad filters, order_by clauses, page sizes and tokens throw
 * INVALID_PARAMETER_VALUE.
 */
export async function searchRunIds(
  db: Kysely<Schema>,
  dialect: Dialect,
  input: SearchRunsInput,
): Promise<RunIdPage> {
  const page = resolvePage(input);
  const filters = parseRunFilter(input.filter ?? '');
  const dataset = filters.find((f) => f.entity === 'dataset');
  if (dataset) {
    throw syntaxError(
      'filter',
      dataset.position,
      `datasets.${dataset.key}`,
      'filtering runs by dataset is not supported yet',
    );
  }
  const orderBy = parseRunOrderByList(input.orderBy);
  const experimentIds = input.experimentIds.map(experimentIdNumber);
  if (experimentIds.length === 0) return { runIds: [] };

  const driver = dialect === 'sqlite' ? await chooseDriver(db, experimentIds, filters) : undefined;
  const query = runIdQuery({
    dialect,
    experimentIds,
    lifecycleStage: lifecycleStageOf(input.viewType),
    filters,
    orderBy,
    driver,
    limit: page.limit + 1, // one more than asked tells whether another page exists
    offset: page.offset,
  });
  const { rows } = await query.execute(db);
  const { items, nextPageToken } = pageOf(
    rows.map((r) => r.run_uuid),
    page,
  );
  return nextPageToken === undefined ? { runIds: items } : { runIds: items, nextPageToken };
}

function experimentIdNumber(id: string): number {
  const n = Number(id);
  if (!/^\d+$/.test(id) || !Number.isSafeInteger(n)) {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `Invalid experiment id '${id}': experiment ids are decimal integers.`,
    );
  }
  return n;
}
