import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, runNode, tempWorkspace } from './cli-harness.js';

const HEAVY = [
  '@tensorflow',
  'onnxruntime',
  'onnx-proto',
  'protobufjs',
  'csv-parse',
  '@aws-sdk',
  'bullmq',
  'ioredis',
  'vega-datasets',
  'fastify',
];

describe('start-up loads no heavy dependency', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterAll(() => cleanup());

  const loadedBy = async (...args: string[]) => {
    const trace = join(dir, `trace-${args.join('-')}.txt`);
    const hook = join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'trace-loads.mjs');
    const out = await runNode(['--import', hook, CLI, ...args], dir, { MLOPS_TRACE_FILE: trace });
    expect(out.code, out.stderr).toBe(0);
    return (await readFile(trace, 'utf8')).split('\n').filter(Boolean);
  };

  for (const args of [['--help'], ['runs', 'list']]) {
    it(`mlops ${args.join(' ')}`, async () => {
      const loaded = await loadedBy(...args);
      // The trace works: the CLI's own parser shows up.
      expect(loaded.some((m) => m.includes('commander'))).toBe(true);
      for (const heavy of HEAVY) {
        expect(
          loaded.filter((m) => m.includes(`node_modules/${heavy}`)),
          heavy,
        ).toEqual([]);
      }
    });
  }

  it('mlops --help does not open the database', async () => {
    const loaded = await loadedBy('--help');
    expect(
      loaded.filter((m) => m.includes('better-sqlite3') || m.includes('node_modules/pg/')),
    ).toEqual([]);
  });
});
