import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectGarbage, readStoredFile, sha256Hex } from '../../blobs/index.js';
import { readPointerFile } from '../../data/index.js';
import { trainForecast } from '../../forecast/index.js';
import type { RegistryStore } from '../../registry/index.js';
import { connect, openRegistry } from '../connect.js';
import { dataImportJob } from '../data-import-jobs.js';
import { dataGcJob } from '../data-history-jobs.js';
import { gcRoots } from '../gc-roots.js';
import { loadModelPackage } from './load-model-package.js';
import { registerModel } from './register-model.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';

/** Weekday rows `from`..`to`-1 of one contract-clean series starting 2020-01-02. */
function priceRows(from: number, to: number): string {
  const out = [HEADER];
  const day = new Date(Date.UTC(2020, 0, 2));
  for (let i = 0; i < to; i++) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    const close = 100 + 10 * Math.sin(i / 7) + i * 0.05;
    const row = [close - 0.5, close + 1, close - 1, close, close, 1_000_000 + i];
    if (i >= from)
      out.push([day.toISOString().slice(0, 10), ...row.map((v) => v.toFixed(4))].join(','));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return `${out.join('\n')}\n`;
}

describe('model package gc roots', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-models-gc-'));
    await mkdir(join(dir, '.mlops'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps a registered package and the dataset version it names through gc after a new import', async () => {
    const client = await connect(undefined, { cwd: dir });
    try {
      await writeFile(join(dir, 'batch1.csv'), priceRows(0, 300));
      await writeFile(join(dir, 'batch2.csv'), priceRows(300, 340));
      await dataImportJob(client, {
        cwd: dir,
        source: join(dir, 'batch1.csv'),
        into: 'prices.csv',
      });
      const first = await readPointerFile(join(dir, 'prices.csv.mlops'), 'prices.csv.mlops');
      const trained = await trainForecast(client, {
        data: join(dir, 'prices.csv'),
        model: 'linear',
        params: { window: 10 },
      });
      const ctx = { client, registry: await openRegistry(client), cwd: dir };
      const r = await registerModel(ctx, { source: `runs:/${trained.runId}/model`, name: 'goog' });
      // The package names the data version the pointer stored: the same bytes, stored once.
      expect(r.manifest.dataset?.manifest_id).toBe(first.manifest);

      await dataImportJob(client, {
        cwd: dir,
        source: join(dir, 'batch2.csv'),
        into: 'prices.csv',
      });
      const second = await readPointerFile(join(dir, 'prices.csv.mlops'), 'prices.csv.mlops');
      expect(second.sha256).not.toBe(first.sha256);
      const orphan = await client.blobs.put(new TextEncoder().encode('nobody refers to me'));

      // Without the registry's roots the old data version and the package would go.
      const noModels = {
        searchModelVersions: async () => ({ items: [] }),
      } as unknown as RegistryStore;
      const without = await collectGarbage(
        client.blobs,
        gcRoots(client, { workspaceRoot: dir, registry: noModels }),
        { dryRun: true },
      );
      const report = await dataGcJob({ cwd: dir });
      expect(without.deleted).toBeGreaterThan(report.deleted);
      expect(report.deleted).toBeGreaterThanOrEqual(1);
      expect(report.roots['registry: model packages and their datasets']).toBeGreaterThan(0);
      expect(await client.blobs.has(orphan)).toBe(false);
      const loaded = await loadModelPackage(ctx, 'models:/goog/1');
      expect(loaded.packageHash).toBe(r.packageHash);
      const old = await readStoredFile(client.blobs, first.manifest);
      expect(sha256Hex(old)).toBe(first.sha256);
    } finally {
      await client.close();
    }
  });
});
