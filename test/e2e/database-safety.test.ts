import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshPostgresUrl, postgresUnavailable } from '../../src/testing/index.js';
import { DIST_INDEX, mlops, REPO_ROOT, runNode, tempWorkspace } from './cli-harness.js';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('database safety', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterEach(() => cleanup());

  it('refuses a corrupt database file with a clear error and leaves it untouched', async () => {
    await mkdir(join(dir, '.mlops'));
    const garbage = Buffer.from('this is not a database '.repeat(300));
    await writeFile(join(dir, '.mlops', 'mlops.db'), garbage);
    for (let attempt = 0; attempt < 2; attempt++) {
      const out = await mlops(dir, 'runs', 'list');
      expect(out.code).toBe(5);
      expect(out.stderr).toContain('DATABASE_CORRUPT');
      expect(out.stderr).toContain('mlops.db');
      expect(out.stderr).not.toContain('internal error');
    }
    expect(sha(await readFile(join(dir, '.mlops', 'mlops.db')))).toBe(sha(garbage));
  });

  it('answers a database with damaged pages with DATABASE_CORRUPT, not an internal error', async () => {
    // A database with some pages: the example's ingestion run and a tracked validate stage.
    const init = await mlops(dir, 'init', '--example', 'stock-forecast', '--preset', 'quick');
    expect(init.code, init.stderr).toBe(0);
    const repro = await mlops(dir, 'repro', 'validate');
    expect(repro.code, repro.stderr).toBe(0);
    const file = join(dir, '.mlops', 'mlops.db');
    const bytes = await readFile(file);
    // Keep the header page valid; scribble over every page after it.
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    await writeFile(file, bytes);
    await rm(join(dir, '.mlops', 'mlops.db-wal'), { force: true });
    await rm(join(dir, '.mlops', 'mlops.db-shm'), { force: true });
    const out = await mlops(dir, 'runs', 'list');
    expect(out.stderr).not.toContain('internal error');
    expect(out.code).toBe(5);
    expect(out.stderr).toContain('DATABASE_CORRUPT');
  });

  it('refuses a database written by a newer schema', async () => {
    expect((await mlops(dir, 'experiments', 'list')).code).toBe(0);
    const bump = `
      const { createRequire } = await import('node:module');
      const Database = createRequire(${JSON.stringify(join(REPO_ROOT, 'package.json'))})('better-sqlite3');
      const db = new Database('.mlops/mlops.db');
      db.prepare('INSERT INTO mlops_schema (version, applied_at) VALUES (999, 0)').run();
      db.close();`;
    await writeFile(join(dir, 'bump.mjs'), bump);
    const bumped = await runNode(['bump.mjs'], dir);
    expect(bumped.code, bumped.stderr).toBe(0);
    const out = await mlops(dir, 'runs', 'list');
    expect(out.code).toBe(5);
    expect(out.stderr).toContain('SCHEMA_TOO_NEW');
    expect(out.stderr).toContain('999');
  });

  it('loses no points when two processes log to one database at once', async () => {
    const script = (name: string) => `
      const { connect, withRun } = await import(${JSON.stringify(DIST_INDEX)});
      const client = await connect();
      const id = await withRun(client, { experiment: 'race', name: '${name}' }, async (run) => {
        for (let i = 0; i < 20000; i++) run.logMetric('x', i, i);
        await run.logParams({ writer: '${name}' });
        return run.id;
      });
      await client.close();
      console.log(id);`;
    await writeFile(join(dir, 'a.mjs'), script('a'));
    await writeFile(join(dir, 'b.mjs'), script('b'));
    const [a, b] = await Promise.all([runNode(['a.mjs'], dir), runNode(['b.mjs'], dir)]);
    expect(a.stderr + b.stderr).toBe('');
    const check = `
      const { connect } = await import(${JSON.stringify(DIST_INDEX)});
      const client = await connect();
      const out = [];
      for (const id of ${JSON.stringify([a.stdout.trim(), b.stdout.trim()])}) {
        out.push((await client.store.getMetricHistory(id, 'x')).items.length);
      }
      await client.close();
      console.log(JSON.stringify(out));`;
    await writeFile(join(dir, 'check.mjs'), check);
    expect(JSON.parse((await runNode(['check.mjs'], dir)).stdout)).toEqual([20000, 20000]);
  });

  it('lets four processes open (and migrate) one new SQLite database at once', async () => {
    const opener = `
      const { connect } = await import(${JSON.stringify(DIST_INDEX)});
      const client = await connect();
      const exps = await client.store.searchExperiments();
      await client.close();
      console.log(exps.items.length);`;
    await writeFile(join(dir, 'open.mjs'), opener);
    const results = await Promise.all([1, 2, 3, 4].map(() => runNode(['open.mjs'], dir)));
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('1');
    }
  });
});

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL migrations', () => {
  it('lets four processes create one new schema at once', async () => {
    const { dir, cleanup } = await tempWorkspace();
    const pg = freshPostgresUrl('e2e_migrate');
    try {
      const opener = `
        const { connect } = await import(${JSON.stringify(DIST_INDEX)});
        const client = await connect(process.argv[2]);
        const exps = await client.store.searchExperiments();
        await client.close();
        console.log(exps.items.length);`;
      await writeFile(join(dir, 'open.mjs'), opener);
      const results = await Promise.all([1, 2, 3, 4].map(() => runNode(['open.mjs', pg.url], dir)));
      for (const r of results) {
        expect(r.stderr).toBe('');
        expect(r.stdout.trim()).toBe('1');
      }
    } finally {
      await pg.drop();
      await cleanup();
    }
  });
});
