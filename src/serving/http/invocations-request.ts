import { MlopsError } from '../../core/index.js';
import { fieldError, isPlainObject, list, price } from './field-checks.js';
import { tableWindows } from './table-windows.js';

/** MLflow 2.x scoring payload keys; exactly one per request. */
export const INVOCATION_FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];

export interface InvocationShape {
  readonly window: number;
  /** The graph's input name, accepted as the key of a named tensor (`{"inputs": {"closes": ...}}`). */
  readonly inputName: string;
}

/**
 * The windows of a JSON `POST /invocations` body, in MLflow's scoring protocol: `dataframe_split`
 * (what MLflow's Python client sends for a DataFrame), `dataframe_records`, `instances` or `inputs`
 * (a list of windows, or `{inputName: [...]}`); `params` is accepted and ignored.
 */
export function parseInvocationsJson(body: unknown, shape: InvocationShape): Float64Array[] {
  if (!isPlainObject(body)) {
    throw formatError(`got ${Array.isArray(body) ? 'a list' : typeof body}`);
  }
  const keys = Object.keys(body).filter((k) => k !== 'params');
  const unknown = keys.filter((k) => !INVOCATION_FORMATS.includes(k));
  if (unknown.length > 0 || keys.length !== 1) {
    throw formatError(
      unknown.length > 0
        ? `'${unknown[0]}' is not one of them`
        : `got ${keys.length === 0 ? 'none' : keys.map((k) => `'${k}'`).join(' and ')}`,
    );
  }
  const key = keys[0] as string;
  const value = body[key];
  switch (key) {
    case 'dataframe_split':
      return dataframeSplit(value, shape.window);
    case 'dataframe_records':
      return dataframeRecords(value, shape.window);
    default:
      return tensorRows(value, key, shape);
  }
}

function formatError(detail: string): MlopsError {
  return new MlopsError(
    'BAD_REQUEST',
    `The body must be a JSON object with exactly one of ${INVOCATION_FORMATS.map((f) => `"${f}"`).join(', ')} (MLflow 2.0 scoring protocol; "params" is optional): ${detail}.`,
    { details: { field: '' } },
  );
}

function dataframeSplit(value: unknown, window: number): Float64Array[] {
  if (!isPlainObject(value)) {
    throw fieldError('dataframe_split', 'an object {"columns", "data", "index"?}', value);
  }
  const data = list(value['data'], 'dataframe_split.data', 'rows');
  const rows = data.map((row, i) => {
    if (!Array.isArray(row))
      throw fieldError(`dataframe_split.data[${i}]`, 'a list of closes', row);
    return row as readonly unknown[];
  });
  let columns: (string | number)[] | undefined;
  if (value['columns'] !== undefined) {
    columns = list(value['columns'], 'dataframe_split.columns', 'column names').map((c, i) => {
      if (typeof c !== 'string' && typeof c !== 'number') {
        throw fieldError(`dataframe_split.columns[${i}]`, 'a column name', c);
      }
      return c;
    });
  }
  return tableWindows(
    {
      columns,
      rows,
      field: 'dataframe_split.data',
      cell: (r, c) => `dataframe_split.data[${r}]${c < 0 ? '' : `[${c}]`}`,
    },
    window,
  );
}

function dataframeRecords(value: unknown, window: number): Float64Array[] {
  const records = list(value, 'dataframe_records', 'records ({column: close})');
  const first = records[0];
  if (!isPlainObject(first)) throw fieldError('dataframe_records[0]', 'an object', first);
  const columns = Object.keys(first);
  const rows = records.map((record, i) => {
    if (!isPlainObject(record)) throw fieldError(`dataframe_records[${i}]`, 'an object', record);
    const keys = Object.keys(record);
    const missing = columns.find((c) => !(c in record)) ?? keys.find((k) => !columns.includes(k));
    if (missing !== undefined) {
      throw fieldError(
        `dataframe_records[${i}]`,
        `the same columns as dataframe_records[0] (${columns.length} columns); '${missing}' differs`,
      );
    }
    return columns.map((c) => record[c]);
  });
  return tableWindows(
    {
      columns,
      rows,
      field: 'dataframe_records',
      cell: (r, c) => `dataframe_records[${r}]${c < 0 ? '' : `.${columns[c] ?? c}`}`,
    },
    window,
  );
}

/** `instances` / `inputs`: a list of windows, or a named tensor `{inputName: [...]}`. */
function tensorRows(value: unknown, key: string, shape: InvocationShape): Float64Array[] {
  let field = key;
  let tensor = value;
  if (isPlainObject(value)) {
    const names = Object.keys(value);
    if (names.length !== 1 || names[0] !== shape.inputName) {
      throw fieldError(key, `a list of windows or {"${shape.inputName}": [...]}`, value);
    }
    field = `${key}.${shape.inputName}`;
    tensor = value[shape.inputName];
  }
  const rows = list(tensor, field, `windows of ${shape.window} closes`);
  return rows.map((row, i) => {
    // TF-serving row format: an instance may itself be {inputName: window}.
    let cells = row;
    let at = `${field}[${i}]`;
    if (isPlainObject(row) && key === 'instances' && shape.inputName in row) {
      cells = row[shape.inputName];
      at = `${at}.${shape.inputName}`;
    }
    if (!Array.isArray(cells) || cells.length !== shape.window) {
      throw fieldError(
        at,
        `a window of ${shape.window} closes, oldest first (wrap a single window in a list: [[...]])`,
        cells,
      );
    }
    return Float64Array.from(cells, (c, j) => price(c, `${at}[${j}]`));
  });
}
