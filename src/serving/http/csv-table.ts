import { MlopsError } from '../../core/index.js';
import type { Table } from './table-windows.js';

/**
 * A `text/csv` scoring body as a table: a header line, then one line per row (RFC 4180 quoting).
 * A first column with an empty name is the index pandas' `to_csv()` writes, and is dropped.
 * Cells stay strings converted to numbers where they parse; `price` reports the rest by line.
 */
export function parseCsvTable(text: string): Table {
  const lines = splitRecords(text);
  const header = lines[0];
  if (!header || (header.length === 1 && header[0] === '')) {
    throw new MlopsError('BAD_REQUEST', 'The CSV body is empty; send a header line and rows.', {
      details: { field: 'csv' },
    });
  }
  const dropIndex = header.length > 1 && (header[0] === '' || header[0] === 'Unnamed: 0');
  const columns = (dropIndex ? header.slice(1) : header).map((c) => c.trim());
  const rows = lines
    .slice(1)
    .filter((cells) => !(cells.length === 1 && cells[0] === ''))
    .map((cells) => (dropIndex ? cells.slice(1) : cells).map(cellValue));
  const lineOf = (r: number) => r + 2;
  return {
    columns,
    rows,
    field: 'csv',
    cell: (r, c) =>
      c < 0 ? `csv line ${lineOf(r)}` : `csv line ${lineOf(r)}, column '${columns[c] ?? c}'`,
  };
}

function cellValue(cell: string): unknown {
  const trimmed = cell.trim();
  if (trimmed === '') return null;
  const n = Number(trimmed);
  // "NaN" and "inf" parse (pandas writes them); `price` refuses them by name.
  return Number.isNaN(n) && !/^nan$/i.test(trimmed) ? trimmed : n;
}

/** Splits CSV text into records of cells, honouring double quotes ("" inside quotes is one "). */
function splitRecords(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push(cells);
  }
  return records;
}
