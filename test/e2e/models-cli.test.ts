import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, LocalBlobStore } from '../../src/blobs/index.js';
import { mlops, tempWorkspace } from './cli-harness.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';

/** A contract-clean daily series of `n` weekday rows from 2020-01-02. */
function rows(n: number): string {
  const out = [HEADER];
  const day = new Date(Date.UTC(2020, 0, 2));
  for (let i = 0; i < n; i++) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    const close = 100 + 10 * Math.sin(i / 7) + i * 0.05;
    const row = [close - 0.5, close + 1, close - 1, close, close, 1_000_000 + i];
    out.push([day.toISOString().slice(0, 10), ...row.map((v) => v.toFixed(4))].join(','));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return `${out.join('\n')}\n`;
}

interface VersionJson {
  name: string;
  version: string;
  aliases: string[];
  archived: boolean;
  packageHash: string;
}

describe('mlops models', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let runId: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempWorkspace());
    await mkdir(join(dir, '.mlops'));
    await writeFile(join(dir, 'prices.csv'), rows(300));
    const out = await mlops(
      dir,
      'forecast',
      'train',
      '--data',
      'prices.csv',
      '--model',
      'linear',
      '--param',
      'window=10',
      '--json',
    );
    expect(out.code, out.stderr).toBe(0);
    runId = (JSON.parse(out.stdout) as { run_id: string }).run_id;
  });
  afterAll(() => cleanup());

  it('registers a run, lists, shows, aliases, archives and downloads it', async () => {
    const reg = await mlops(
      dir,
      'models',
      'register',
      `runs:/${runId}/model`,
      '--name',
      'goog',
      '--json',
    );
    expect(reg.code, reg.stderr).toBe(0);
    const registered = JSON.parse(reg.stdout) as {
      model_version: VersionJson;
      package_hash: string;
    };
    expect(registered.model_version).toMatchObject({ name: 'goog', version: '1' });
    expect(registered.package_hash).toMatch(/^[0-9a-f]{64}$/);

    const text = await mlops(dir, 'models', 'register', `runs:/${runId}/model`, '--name', 'goog');
    expect(text.stdout).toMatch(
      /^Registered goog version 2 from runs:\/[0-9a-f]+\/model \(linear, window 10, test rmse [\d.]+; package [0-9a-f]{12}\)\n$/,
    );

    const list = await mlops(dir, 'models', 'list', '--json');
    const models = (JSON.parse(list.stdout) as { registered_models: { name: string }[] })
      .registered_models;
    expect(models.map((m) => m.name)).toEqual(['goog']);

    expect((await mlops(dir, 'models', 'alias', 'set', 'goog', 'champion', '1')).stdout).toBe(
      'goog@champion -> version 1\n',
    );
    const show = await mlops(dir, 'models', 'show', 'goog');
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^VERSION +ALIASES +STATUS/m);
    expect(show.stdout).toMatch(/^1 +champion +READY/m);
    expect(show.stdout).toMatch(/version 2: linear, flavors onnx, mlops_forecaster, window 10/);
    expect(show.stdout).toMatch(/ {2}data {3}prices\.csv@[0-9a-f]{12} \(300 rows\)/);
    expect(show.stdout).toMatch(/ {2}train {2}2020-\d\d-\d\d\.\.2020-\d\d-\d\d \(rows 10\.\.\d+\)/);

    const dl = await mlops(
      dir,
      'models',
      'download',
      'models:/goog@champion',
      '--out',
      'champion',
      '--json',
    );
    expect(dl.code, dl.stderr).toBe(0);
    const files = (JSON.parse(dl.stdout) as { files: string[] }).files;
    expect(files).toEqual(
      expect.arrayContaining(['MLmodel', 'model.onnx', 'forecaster.json', 'reference.json']),
    );
    const mlmodel = await readFile(join(dir, 'champion', 'MLmodel'), 'utf8');
    expect(mlmodel).toMatch(/^format: mlops-model-package\n/);
    expect(mlmodel).toContain(`run_id: ${runId}`);
    expect(existsSync(join(dir, 'champion', 'model.onnx'))).toBe(true);

    expect((await mlops(dir, 'models', 'archive', 'goog', '2')).stdout).toBe(
      'Archived goog version 2\n',
    );
    const archived = await mlops(dir, 'models', 'show', 'goog', '--json');
    const versions = (JSON.parse(archived.stdout) as { versions: VersionJson[] }).versions;
    expect(versions.map((v) => [v.version, v.archived, v.aliases])).toEqual([
      ['2', true, []],
      ['1', false, ['champion']],
    ]);
    expect((await mlops(dir, 'models', 'restore', 'goog', '2')).code).toBe(0);
    expect((await mlops(dir, 'models', 'alias', 'delete', 'goog', 'champion')).stdout).toBe(
      'Deleted alias goog@champion\n',
    );
    const gone = await mlops(dir, 'models', 'download', 'models:/goog@champion', '--out', 'x');
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain("Model 'goog' has no alias 'champion' (aliases: none)");
  });

  it('exits 2 on malformed URIs and sources, 3 on unknown models, 6 on a corrupt package', async () => {
    const bad = await mlops(dir, 'models', 'download', 'models:/goog', '--out', 'x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Invalid model URI 'models:/goog'");
    const source = await mlops(dir, 'models', 'register', 'model.onnx', '--name', 'x');
    expect(source.code).toBe(2);
    const usage = await mlops(dir, 'models', 'alias', 'set', 'goog');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'alias'");
    const unknown = await mlops(dir, 'models', 'show', 'nope');
    expect(unknown.code).toBe(3);

    const reg = await mlops(
      dir,
      'models',
      'register',
      `runs:/${runId}/model`,
      '--name',
      'fragile',
      '--json',
    );
    const { manifest } = JSON.parse(reg.stdout) as {
      manifest: { files: Record<string, { manifest_id: string }> };
    };
    const blobs = new LocalBlobStore(join(dir, '.mlops', 'blobs'));
    const chunk =
      (await readManifest(blobs, manifest.files['reference.json']?.manifest_id ?? '')).chunks[0]
        ?.hash ?? '';
    const path = join(dir, '.mlops', 'blobs', chunk.slice(0, 2), chunk.slice(2));
    await chmod(path, 0o644);
    await writeFile(path, 'garbage');
    const corrupt = await mlops(dir, 'models', 'download', 'models:/fragile/1', '--out', 'y');
    expect(corrupt.code).toBe(6);
    expect(corrupt.stderr).toMatch(
      /error \[PACKAGE_CORRUPT\]: Model fragile version 1: .*file 'reference\.json'/,
    );
  });
});
