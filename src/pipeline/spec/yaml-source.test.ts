import { describe, expect, it } from 'vitest';
import { YamlSource } from './yaml-source.js';

/** The line `yaml`'s positioned document gives for `stages.<name>` (the slow, exact way). */
function documentLine(text: string, name: string): number {
  const source = new YamlSource('mlops.yaml', text);
  const stages = source.doc.get('stages', true) as { items: { key: { range: number[] } }[] };
  const pair = stages.items.find(
    (p) => String((p.key as unknown as { value: unknown }).value) === name,
  );
  return source.lineCounter.linePos(pair?.key.range[0] ?? 0).line;
}

describe('YamlSource', () => {
  const text = `# a pipeline
vars:
  - a: 1
stages:
  # comment
  prepare:
    cmd: 'echo "a: b"'
    deps:
      - x: y
  "quoted name":
    cmd: echo

  'single':
    foreach: [1, 2]
    do:
      cmd: echo \${item}
  train@x:
    cmd: echo
remotes:
  origin: {url: /tmp/r}
`;

  it('finds stage lines by scanning, as the positioned document does', () => {
    const source = new YamlSource('mlops.yaml', text);
    for (const name of ['prepare', 'quoted name', 'single', 'train@x']) {
      expect(source.lineOf(['stages', name]), name).toBe(documentLine(text, name));
    }
    expect(source.keyLine('stages', 'origin')).toBeUndefined();
  });

  it('falls back to the document for flow-style stages', () => {
    const flow = 'stages: {a: {cmd: echo}, b: {cmd: echo}}\n';
    expect(new YamlSource('mlops.yaml', flow).lineOf(['stages', 'b'])).toBe(1);
  });

  it('reads merge keys and leaves dates as strings (YAML 1.2 core)', () => {
    const source = new YamlSource(
      'mlops.yaml',
      'base: &b {cmd: echo}\nstages:\n  a:\n    <<: *b\n    desc: 2020-01-01\n',
    );
    expect(source.toJS()).toEqual({
      base: { cmd: 'echo' },
      stages: { a: { cmd: 'echo', desc: '2020-01-01' } },
    });
  });

  it('reports a syntax error with its line', () => {
    expect(() => new YamlSource('mlops.yaml', 'stages:\n  a:\n    cmd: [echo\n')).toThrow(
      /mlops\.yaml, line \d+: not valid YAML/,
    );
  });

  it('refuses duplicate keys with their line', () => {
    expect(() => new YamlSource('mlops.yaml', 'stages:\n  a: {}\n  a: {}\n')).toThrow(
      /mlops\.yaml, line 3: not valid YAML/,
    );
  });
});
