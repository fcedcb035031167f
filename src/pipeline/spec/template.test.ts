import { describe, expect, it } from 'vitest';
import { lookup, resolveString, TemplateError, unpackArguments } from './template.js';

const context = {
  name: 'demo',
  n: 3,
  on: true,
  list: [10, [20, 21], { deep: 'x' }],
  train: { lr: 0.1, sizes: [4, 8] },
  nothing: null,
};

describe('templates', () => {
  it('looks up dotted keys and indexes', () => {
    expect(lookup(context, 'train.lr')).toBe(0.1);
    expect(lookup(context, 'list[1][0]')).toBe(20);
    expect(lookup(context, 'list[2].deep')).toBe('x');
    expect(lookup(context, 'train.sizes.1')).toBe(8);
    expect(lookup(context, ' train.lr ')).toBe(0.1);
  });

  it('names what is missing', () => {
    expect(() => lookup(context, 'nope')).toThrow(
      /undefined variable 'nope'.*defined: list, n, name/,
    );
    expect(() => lookup(context, 'train.nope')).toThrow("'train' has no 'nope'");
    expect(() => lookup(context, 'list[7]')).toThrow("'list' has no '[7]'");
    expect(() => lookup(context, 'a..b')).toThrow(TemplateError);
  });

  it('keeps the type of a whole template and interpolates inside strings', () => {
    expect(resolveString('${train}', context)).toEqual(context.train);
    expect(resolveString('${ n }', context)).toBe(3);
    expect(resolveString('${nothing}', context)).toBeNull();
    expect(resolveString('run-${name}-${n}-${on}', context)).toBe('run-demo-3-true');
    expect(resolveString('no template', context)).toBe('no template');
    expect(resolveString('\\${name} ${name}', context)).toBe('${name} demo');
  });

  it('refuses lists, mappings and null inside a string', () => {
    expect(() => resolveString('a ${list}', context)).toThrow('is a list and cannot be written');
    expect(() => resolveString('a ${train}', context)).toThrow('is a mapping');
    expect(() => resolveString('a ${nothing}', context)).toThrow('is null');
  });

  it('unpacks a mapping into arguments in cmd', () => {
    expect(resolveString('train ${train}', context, 'cmd')).toBe('train --lr 0.1 --sizes 4 8');
    expect(resolveString('${train}', context, 'cmd')).toBe('--lr 0.1 --sizes 4 8');
    expect(
      unpackArguments({ a: 'two words', yes: true, no: false, nested: { k: "it's" }, n: 1 }),
    ).toBe(`--a 'two words' --yes --nested.k 'it'\\''s' --n 1`);
    expect(() => unpackArguments({ bad: [[1]] })).toThrow('nested list');
  });
});
