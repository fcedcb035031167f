import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
    const files = (await readFile(trace, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((m) => (m.startsWith('file:') ? fileURLToPath(m) : m));
    // The CLI bundle (dist/bundle/, scripts/bundle-cli.mjs): the modules bundled into a chunk that
    // was loaded count as loaded too; the chunk's source map names them.
    const bundled = await Promise.all(
      files
        .filter((f) => f.includes(join('dist', 'bundle')) && f.endsWith('.js'))
        .map(async (f) => {
          const map = JSON.parse(await readFile(`${f}.map`, 'utf8')) as { sources: string[] };
          return map.sources.map((s) => resolve(dirname(f), s));
        }),
    );
    return [...files, ...bundled.flat()];
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
