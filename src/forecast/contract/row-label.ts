import type { ContractInput } from './validation-report.js';

/** Where row i is, for messages: '2020-01-08 (line 5)', or 'row 4' without dates or lines. */
export function rowLabel(input: ContractInput, i: number): string {
  const date = input.bars[i]?.date;
  const line = input.lines?.[i];
  const where = line === undefined ? `row ${i + 1}` : `line ${line}`;
  return date ? `${date} (${where})` : where;
}

/** The `line` and `date` fields of an issue about row i. */
export function rowFields(input: ContractInput, i: number): { line?: number; date?: string } {
  const line = input.lines?.[i];
  const date = input.bars[i]?.date;
  return { ...(line === undefined ? {} : { line }), ...(date === undefined ? {} : { date }) };
}
