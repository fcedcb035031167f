import { describe, expect, it } from 'vitest';
import { parseCsvTable } from './csv-table.js';

describe('parseCsvTable', () => {
  it('reads a header and numeric rows', () => {
    const t = parseCsvTable('0,1,2\n1,2,3\r\n4,5,6\n');
    expect(t.columns).toEqual(['0', '1', '2']);
    expect(t.rows).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.cell(1, 2)).toBe("csv line 3, column '2'");
  });

  it("drops the index column pandas' to_csv writes", () => {
    const t = parseCsvTable(',a,b\n0,1,2\n1,3,4');
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.rows).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('honours quotes and keeps bad cells for the price check to name', () => {
    const t = parseCsvTable('"a,1",b\n"1",x\n2,\n');
    expect(t.columns).toEqual(['a,1', 'b']);
    expect(t.rows).toEqual([
      [1, 'x'],
      [2, null],
    ]);
  });

  it('refuses an empty body', () => {
    expect(() => parseCsvTable('')).toThrow(/CSV body is empty/);
  });
});
