import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../blobs/index.js';
import { trainForecast } from '../../forecast/index.js';
import { freshPostgresUrl, postgresUnavailable } from '../../testing/index.js';
import { connect, openRegistry } from '../connect.js';
import { gcRoots } from '../gc-roots.js';
import { loadModelPackage } from './load-model-package.js';
import { registerModel } from './register-model.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';

function priceCsv(n: number): string {
  const out = [HEADER];
  const day = new Date(Date.UTC(2020, 0, 2));
  for (let i = 0; i < n; i++) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    const close = 100 + 10 * Math.cos(i / 9) + i * 0.03;
    const row = [close - 0.5, close + 1, close - 1, close, close, 1_000_000 + i];
    out.push([day.toISOString().slice(0, 10), ...row.map((v) => v.toFixed(4))].join(','));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return `${out.join('\n')}\n`;
}

const pgSkip = await postgresUnavailable();

describe.skipIf(pgSkip !== undefined)('registerModel on PostgreSQL', () => {
  it('registers, resolves and gc-roots a package with the registry in the same database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-models-pg-'));
    const pg = freshPostgresUrl('models_pg');
    await mkdir(join(dir, '.mlops'));
    const client = await connect(pg.url, { cwd: dir, autoUpgrade: true });
    try {
      const data = join(dir, 'prices.csv');
      await writeFile(data, priceCsv(260));
      const trained = await trainForecast(client, { data, model: 'linear', params: { window: 8 } });
      const ctx = { client, registry: await openRegistry(client), cwd: dir };
      const r = await registerModel(ctx, { source: `runs:/${trained.runId}/model`, name: 'pg' });
      await ctx.registry.setAlias('pg', 'champion', r.version.version);
      const loaded = await loadModelPackage(ctx, 'models:/pg@champion');
      expect(loaded.manifest.dataset?.sha256).toBe(trained.datasetSha256);
      const report = await collectGarbage(client.blobs, gcRoots(client, { workspaceRoot: dir }), {
        dryRun: true,
      });
      expect(report.roots['registry: model packages and their datasets']).toBe(
        Object.keys(r.manifest.files).length + 2,
      );
    } finally {
      await client.close();
      await pg.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
