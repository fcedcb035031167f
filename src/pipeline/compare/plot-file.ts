import { extname } from 'node:path';
import { invalidParam } from '../../core/index.js';
import { describeValue, isMapping, parseTree } from './tree-values.js';

/** Rows of a data plot: column names in order, and each row's cells by column. */
export interface PlotTable {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/** A plot file as read: a table to draw, or an image shown as it is. */
export type PlotFile =
  | { readonly kind: 'table'; readonly table: PlotTable }
  | { readonly kind: 'image'; readonly mime: string; readonly bytes: Buffer };

const IMAGES: Readonly<Record<string, string>> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
};
const EXPECTED =
  'a plot file: CSV/TSV with a header row, a JSON/YAML list of objects, or an image (.svg .png .jpg .gif)';

/** Parses plot file `path` by its extension (`shown` names file and revision in errors). */
export function parsePlotFile(path: string, bytes: Buffer, shown: string): PlotFile {
  const ext = extname(path).toLowerCase();
  const mime = IMAGES[ext];
  if (mime !== undefined) return { kind: 'image', mime, bytes };
  const text = bytes.toString('utf8');
  if (ext === '.csv' || ext === '.tsv') {
    return { kind: 'table', table: parseDelimited(text, ext === '.tsv' ? '\t' : ',') };
  }
  if (ext === '.json' || ext === '.yaml' || ext === '.yml') {
    return { kind: 'table', table: tableOf(parseTree(text, shown, EXPECTED), shown) };
  }
  throw invalidParam(`${shown}: unsupported file type '${ext}'; expected ${EXPECTED}.`, {
    file: shown,
  });
}

/**
 * A list of objects, or a mapping holding one (`{"train": [...]}`, as DVC accepts: the first
 * list found).
 */
function tableOf(tree: unknown, shown: string): PlotTable {
  const list = Array.isArray(tree)
    ? tree
    : isMapping(tree)
      ? Object.values(tree).find((v): v is unknown[] => Array.isArray(v))
      : undefined;
  if (list === undefined || !list.every(isMapping)) {
    const held = list === undefined ? describeValue(tree) : 'a list with non-object items';
    throw invalidParam(`${shown} holds ${held}; expected ${EXPECTED}.`, { file: shown });
  }
  const columns = new Set<string>();
  for (const row of list) for (const key of Object.keys(row)) columns.add(key);
  return { columns: [...columns], rows: list };
}

/** CSV/TSV with a header row; double-quoted fields may hold separators, quotes and newlines. */
export function parseDelimited(text: string, separator: string): PlotTable {
  const records = splitRecords(text.replace(/^\uFEFF/, ''), separator);
  const header = records.shift() ?? [];
  const rows = records
    .filter((r) => r.length > 1 || (r[0] ?? '') !== '')
    .map((r) => Object.fromEntries(header.map((name, i) => [name, r[i] ?? ''])));
  return { columns: header, rows };
}

function splitRecords(text: string, separator: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === separator) {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}
