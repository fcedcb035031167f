import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_INDEX, runNode, tempWorkspace } from './cli-harness.js';

const READ = `
  const { connect } = await import(${JSON.stringify(DIST_INDEX)});
  const client = await connect();
  const page = await client.store.searchRuns({ experimentIds: ['0'] });
  const run = page.items[0];
  const history = await client.store.getMetricHistory(run.info.runId, 'x');
  await client.close();
  console.log(JSON.stringify({ status: run.info.status, points: history.items.length }));`;

describe('buffered metrics when the process ends', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterAll(() => cleanup());

  it('flushes and finishes an open run on beforeExit', async () => {
    const { dir: ws, cleanup: done } = await tempWorkspace();
    try {
      await writeFile(
        join(ws, 'forgot-end.mjs'),
        `const { connect } = await import(${JSON.stringify(DIST_INDEX)});
         const client = await connect();
         const run = await client.startRun();
         for (let i = 0; i < 2500; i++) run.logMetric('x', i, i);`,
      );
      expect((await runNode(['forgot-end.mjs'], ws)).code).toBe(0);
      await writeFile(join(ws, 'read.mjs'), READ);
      expect(JSON.parse((await runNode(['read.mjs'], ws)).stdout)).toEqual({
        status: 'FINISHED',
        points: 2500,
      });
    } finally {
      await done();
    }
  });

  it('flushes and marks the run KILLED on SIGTERM', async () => {
    await writeFile(
      join(dir, 'long.mjs'),
      `const { connect } = await import(${JSON.stringify(DIST_INDEX)});
       const client = await connect();
       const run = await client.startRun();
       for (let i = 0; i < 1500; i++) run.logMetric('x', i, i);
       console.log('ready');
       setInterval(() => {}, 1000);`,
    );
    const child = spawn(process.execPath, ['long.mjs'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()),
    );
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    await writeFile(join(dir, 'read.mjs'), READ);
    expect(JSON.parse((await runNode(['read.mjs'], dir)).stdout)).toEqual({
      status: 'KILLED',
      points: 1500,
    });
  });
});
