import * as yaml from 'yaml';
import { describe, expect, it } from 'vitest';
import { MlopsError } from './mlops-error.js';
import { formatYamlPath, PositionedYaml, valueAtYamlPath } from './positioned-yaml.js';

const TEXT = `# a config
model: m
checks:
  - metric: a
    lt: 1
  - { metric: b, gt: 2 }
per_column:
  "log return":
    test: ks
`;

describe('PositionedYaml', () => {
  const source = new PositionedYaml(yaml, 'c.yaml', TEXT);

  it.each([
    [[], 2], // the document starts after the comment
    [['model'], 2],
    [['checks', 0, 'lt'], 5],
    [['checks', 1, 'gt'], 6],
    [['per_column', 'log return', 'test'], 9],
    [['checks', 0, 'missing'], 4], // the deepest line on the way
    [['checks', 7], 3],
    [['model', 0], 2],
  ] as const)('finds the line of %j: %d', (path, line) => {
    expect(source.lineOf(path)).toBe(line);
  });

  it('fails at a path with file, line and details', () => {
    const err = source.fail(['checks', 0, 'lt'], 'checks[0].lt: expected a number', { key: 'k' });
    expect(err.message).toBe('c.yaml, line 5: checks[0].lt: expected a number');
    expect(err.details).toEqual({ file: 'c.yaml', line: 5, key: 'k' });
  });

  it('refuses a syntax error and a duplicate key, naming the line', () => {
    const refused = (text: string) => {
      try {
        new PositionedYaml(yaml, 'c.yaml', text);
      } catch (err) {
        if (MlopsError.is(err)) return err;
      }
      throw new Error('expected an error');
    };
    expect(refused('a: 1\nb: [2\n').message).toMatch(/^c\.yaml, line \d: not valid YAML \(/);
    const duplicate = refused('a: 1\nb: 2\na: 3\n');
    expect(duplicate.message).toMatch(/^c\.yaml, line 3: not valid YAML \(Map keys must be unique/);
    expect(duplicate.details).toEqual({ file: 'c.yaml', line: 3 });
  });

  it('reads merge keys only when asked', () => {
    const text = 'base: &b { x: 1 }\nuse:\n  <<: *b\n';
    const merged = new PositionedYaml(yaml, 'c.yaml', text, { merge: true }).doc.toJS() as {
      use: unknown;
    };
    expect(merged.use).toEqual({ x: 1 });
    const plain = new PositionedYaml(yaml, 'c.yaml', text).doc.toJS() as { use: object };
    expect(Object.keys(plain.use)).toEqual(['<<']);
  });
});

describe('formatYamlPath and valueAtYamlPath', () => {
  it('name a path as messages do', () => {
    expect(formatYamlPath(['actions', 'webhook', 'url'])).toBe('actions.webhook.url');
    expect(formatYamlPath(['checks', 1, 'lt'])).toBe('checks[1].lt');
    expect(formatYamlPath(['outs', 0, 'model.pkl', 'cache'])).toBe('outs[0]["model.pkl"].cache');
    expect(formatYamlPath([])).toBe('');
  });

  it('read the value at a path, undefined where the path leaves the value', () => {
    const value = { checks: [{ lt: 1 }] };
    expect(valueAtYamlPath(value, ['checks', 0, 'lt'])).toBe(1);
    expect(valueAtYamlPath(value, ['checks', 0, 'lt', 'x'])).toBeUndefined();
    expect(valueAtYamlPath(value, [])).toBe(value);
  });
});
