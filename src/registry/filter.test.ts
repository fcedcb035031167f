import { describe, expect, it } from 'vitest';
import { likeToRegExp, parseRegistryFilter } from './filter.js';

describe('parseRegistryFilter', () => {
  const allowed = { name: ['=', 'LIKE', 'ILIKE'], run_id: ['='] } as const;

  it('parses clauses joined by AND, with either quote', () => {
    expect(parseRegistryFilter(`name = 'a b' and run_id="r1"`, allowed, 'x')).toEqual([
      { attribute: 'name', op: '=', value: 'a b' },
      { attribute: 'run_id', op: '=', value: 'r1' },
    ]);
    expect(parseRegistryFilter(`\`name\` ilike 'A%'`, allowed, 'x')).toEqual([
      { attribute: 'name', op: 'ILIKE', value: 'A%' },
    ]);
    expect(parseRegistryFilter('  ', allowed, 'x')).toEqual([]);
  });

  it('refuses unknown attributes, operators and syntax, naming what is supported', () => {
    for (const f of [
      `run_id LIKE 'x'`,
      `tags.a = 'b'`,
      `name = 'a' OR name = 'b'`,
      `name IN ('a')`,
    ]) {
      expect(() => parseRegistryFilter(f, allowed, 'x')).toThrow(/Supported: name = 'value'/);
    }
  });
});

describe('likeToRegExp', () => {
  it('maps % and _ and keeps everything else literal', () => {
    expect(likeToRegExp('a%', false).test('abc')).toBe(true);
    expect(likeToRegExp('a%', false).test('Abc')).toBe(false);
    expect(likeToRegExp('a%', true).test('Abc')).toBe(true);
    expect(likeToRegExp('a_c', false).test('abc')).toBe(true);
    expect(likeToRegExp('a.c', false).test('abc')).toBe(false);
    expect(likeToRegExp('(x)*', false).test('(x)*')).toBe(true);
  });
});
