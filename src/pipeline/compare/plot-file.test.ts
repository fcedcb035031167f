import { describe, expect, it } from 'vitest';
import { numberTicks, timeTicks } from './axis-ticks.js';
import { parseDelimited, parsePlotFile } from './plot-file.js';

describe('plot files', () => {
  it('parses CSV with quoted separators, quotes and newlines', () => {
    expect(parseDelimited('a,b\r\n"x,1","say ""hi""\nthere"\n2,\n', ',')).toEqual({
      columns: ['a', 'b'],
      rows: [
        { a: 'x,1', b: 'say "hi"\nthere' },
        { a: '2', b: '' },
      ],
    });
  });

  it('takes the first list of a JSON mapping, as DVC does', () => {
    const file = parsePlotFile('p.json', Buffer.from('{"train": [{"x": 1}, {"y": 2}]}'), 'p.json');
    expect(file).toEqual({
      kind: 'table',
      table: { columns: ['x', 'y'], rows: [{ x: 1 }, { y: 2 }] },
    });
  });

  it('refuses a JSON file without a list of objects, naming it', () => {
    expect(() =>
      parsePlotFile('p.json', Buffer.from('{"a": 1}'), "p.json at revision 'HEAD'"),
    ).toThrow(/p\.json at revision 'HEAD' holds a mapping; expected a plot file/);
    expect(() => parsePlotFile('p.bin', Buffer.from(''), 'p.bin')).toThrow(/unsupported file type/);
  });
});

describe('numberTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and covers the range', () => {
    const ticks = numberTicks(0.13, 0.97);
    expect(ticks.values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks.values.map(ticks.label)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
  });

  it('gives a single value room around it', () => {
    const ticks = numberTicks(5, 5);
    expect(ticks.min).toBeLessThan(5);
    expect(ticks.max).toBeGreaterThan(5);
  });
});

describe('timeTicks', () => {
  it('ticks on the first of a month for spans of months', () => {
    const ticks = timeTicks(Date.parse('2024-01-15'), Date.parse('2024-06-20'));
    expect(ticks.values.map(ticks.label)).toEqual([
      '2024-01-01',
      '2024-03-01',
      '2024-05-01',
      '2024-07-01',
    ]);
  });

  it('ticks on whole days for spans of days', () => {
    const ticks = timeTicks(Date.parse('2024-01-01'), Date.parse('2024-01-05'));
    expect(ticks.values.map(ticks.label)).toEqual([
      '2024-01-01',
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
    ]);
  });
});
