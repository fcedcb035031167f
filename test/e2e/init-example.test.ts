import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mlops, tempWorkspace } from './cli-harness.js';

const STAGES = [
  'validate',
  'train@persistence',
  'train@linear',
  'train@lstm',
  'evaluate',
  'register',
];
const FILES = ['mlops.yaml', 'params.yaml', 'data/prices.csv', 'data/prices.csv.mlops'];

/** `mlops init --example stock-forecast`: the pipeline it writes, without training it. */
describe('mlops init --example stock-forecast --preset quick', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let stdout: string;
  const snapshot = async () =>
    Object.fromEntries(
      await Promise.all(FILES.map(async (f) => [f, await readFile(join(dir, f), 'utf8')])),
    ) as Record<string, string>;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempWorkspace());
    const out = await mlops(dir, 'init', '--example', 'stock-forecast', '--preset', 'quick');
    expect(out.code, out.stderr).toBe(0);
    stdout = out.stdout;
  });
  afterAll(() => cleanup());

  it('writes mlops.yaml, params.yaml (preset quick) and the versioned prices', async () => {
    for (const file of FILES) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(stdout).toContain('Created the stock-forecast example');
    expect(stdout).toContain('data/prices.csv  5105 rows');
    const params = parse(await readFile(join(dir, 'params.yaml'), 'utf8')) as {
      preset: string;
      models: Record<string, unknown>;
    };
    expect(params.preset).toBe('quick');
    expect(Object.keys(params.models)).toEqual(['persistence', 'linear', 'lstm']);
    const pointer = await readFile(join(dir, 'data', 'prices.csv.mlops'), 'utf8');
    expect(pointer).toMatch(/[0-9a-f]{64}/);
  });

  it('mlops dag shows validate -> train@... -> evaluate -> register', async () => {
    const text = await mlops(dir, 'dag');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('6 stages in 4 layers');
    expect(text.stdout).toMatch(/validate\s+-> train@persistence, train@linear, train@lstm/);
    expect(text.stdout).toMatch(/train@lstm\s+-> evaluate/);
    const json = await mlops(dir, 'dag', '--json');
    const dag = JSON.parse(json.stdout) as {
      stages: { name: string }[];
      edges: { from: string; to: string }[];
    };
    expect(dag.stages.map((s) => s.name)).toEqual(STAGES);
    expect(dag.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(
      [
        'validate->train@persistence',
        'validate->train@linear',
        'validate->train@lstm',
        'train@persistence->evaluate',
        'train@linear->evaluate',
        'train@lstm->evaluate',
        'train@persistence->register',
        'train@linear->register',
        'train@lstm->register',
        'evaluate->register',
      ].sort(),
    );
  });

  it('mlops repro --dry lists all six stages as would-run and runs nothing', async () => {
    const out = await mlops(dir, 'repro', '--dry');
    expect(out.code, out.stderr).toBe(0);
    for (const stage of STAGES) expect(out.stdout).toContain(`Would run stage '${stage}'`);
    expect(out.stdout).toContain('6 would run, 0 up to date or skipped');
    expect(existsSync(join(dir, 'mlops.lock'))).toBe(false);
    expect(existsSync(join(dir, 'models'))).toBe(false);
  });

  it('a second init --example refuses (exit 4, RESOURCE_ALREADY_EXISTS) and changes nothing', async () => {
    const before = await snapshot();
    const out = await mlops(dir, 'init', '--example', 'stock-forecast', '--preset', 'quick');
    expect(out.code).toBe(4);
    expect(out.stderr).toContain('RESOURCE_ALREADY_EXISTS');
    expect(out.stderr).toContain(`${join(dir, 'mlops.yaml')} already exists`);
    expect(await snapshot()).toEqual(before);
  });
});
