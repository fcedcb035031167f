import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlops, tempWorkspace } from './cli-harness.js';

/** Invalid mlops.yaml files through the CLI: exit code 2, file, line, stage and field named. */
const CASES: { name: string; yaml: string; files?: Record<string, string>; error: RegExp }[] = [
  {
    name: 'a cycle (the cycle printed)',
    yaml: `stages:
  a:
    cmd: cp b.txt a.txt
    deps: [b.txt]
    outs: [a.txt]
  b:
    cmd: cp a.txt b.txt
    deps: [a.txt]
    outs: [b.txt]
`,
    error:
      /mlops\.yaml, line 2: the pipeline has a cycle: a \(line 2\) -> b \(line 6\) -> a \(line 2\)/,
  },
  {
    name: 'an unknown field',
    yaml: `stages:
  train:
    cmd: echo hi
    dep: [x.txt]
`,
    error: /mlops\.yaml, line 4: .*'train'.*unknown field 'dep'/,
  },
  {
    name: 'two stages writing the same out',
    yaml: `stages:
  a:
    cmd: echo a > out.txt
    outs: [out.txt]
  b:
    cmd: echo b > out.txt
    outs: [out.txt]
`,
    error: /mlops\.yaml, line \d+: .*out\.txt.*(a|b)/,
  },
  {
    name: 'an out inside another out',
    yaml: `stages:
  a:
    cmd: mkdir -p build && echo a > build/a.txt
    outs: [build]
  b:
    cmd: echo b > build/b.txt
    outs: [build/b.txt]
`,
    error: /mlops\.yaml, line \d+: .*build\/b\.txt.*build/,
  },
  {
    name: 'an out that is a versioned dataset',
    yaml: `stages:
  a:
    cmd: echo a > data.csv
    outs: [data.csv]
`,
    files: { 'data.csv.mlops': 'placeholder' },
    error: /mlops\.yaml, line \d+: .*data\.csv.*versioned/,
  },
  {
    name: 'a dep nothing produces and that does not exist',
    yaml: `stages:
  a:
    cmd: cat missing.txt > a.txt
    deps: [missing.txt]
    outs: [a.txt]
`,
    error: /mlops\.yaml, line 4: .*missing\.txt/,
  },
];

describe('mlops repro refuses an invalid mlops.yaml with its line', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterAll(() => cleanup());

  for (const c of CASES) {
    it(c.name, async () => {
      const ws = join(dir, c.name.replace(/\W+/g, '-'));
      await import('node:fs/promises').then((fs) => fs.mkdir(ws, { recursive: true }));
      await writeFile(join(ws, 'mlops.yaml'), c.yaml);
      for (const [name, text] of Object.entries(c.files ?? {}))
        await writeFile(join(ws, name), text);
      const result = await mlops(ws, 'repro');
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(c.error);
      expect(result.stdout).toBe('');
    });
  }
});
