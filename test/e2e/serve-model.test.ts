// `mlops serve` over registered packages (the SDK's serveModel): parity with the trained
// forecaster, swaps under load, the inference log, and versions that must not be served.
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  downloadModel,
  forecastTrain,
  openInferenceLog,
  registerModel,
  serveModel,
  showLineage,
  type ServingHandle,
} from '../../src/app/index.js';
import { loadForecaster, syntheticCloses } from '../../src/forecast/index.js';
import { readModelPackage, storeModelPackage } from '../../src/registry/index.js';
import {
  eventually,
  postJson,
  priceCsv,
  serveWorld,
  type ServeWorld,
} from './serve-model-harness.js';

const NAME = 'ar-forecast';
let w: ServeWorld;
let closes: Float64Array;
let linear: string;
let lstm: string;
let server: ServingHandle;
const lines: string[] = [];

beforeAll(async () => {
  closes = syntheticCloses(700, 11, 0.3);
  w = await serveWorld(priceCsv(closes));
  const lin = await forecastTrain(w.client, { data: w.data, model: 'linear' });
  const net = await forecastTrain(w.client, {
    data: w.data,
    model: 'lstm',
    params: { epochs: '2', units: '8', window: '20' },
  });
  linear = (await registerModel(w.ctx, { source: `runs:/${lin.runId}/model`, name: NAME })).version
    .version;
  lstm = (await registerModel(w.ctx, { source: `runs:/${net.runId}/model`, name: NAME })).version
    .version;
  await w.ctx.registry.setAlias(NAME, 'champion', linear);
  server = await serveModel({
    uri: `models:/${NAME}@champion`,
    trackingUri: w.trackingUri,
    cwd: w.dir,
    port: 0,
    pollIntervalMs: 100,
    log: (line) => lines.push(line),
  });
}, 240_000);

afterAll(async () => {
  await server?.close();
  await w?.close();
});

/** The test windows of a version's package, from its recorded row ranges. */
async function testWindows(version: string): Promise<{ windows: Float64Array[]; window: number }> {
  const v = await w.ctx.registry.getModelVersion(NAME, version);
  const pkg = await readModelPackage(w.client.blobs, v.packageHash ?? '');
  const { window } = pkg.manifest.signature;
  const test = pkg.manifest.row_ranges?.test;
  if (!test) throw new Error('package without row ranges');
  const windows: Float64Array[] = [];
  for (let t = test.start; t < test.end; t++) windows.push(closes.slice(t - window, t));
  return { windows, window };
}

describe('serveModel', () => {
  it('answers /predict with what the trained forecaster predicts on every test window', async () => {
    const fixed = await serveModel({
      uri: `models:/${NAME}/${lstm}`,
      trackingUri: w.trackingUri,
      cwd: w.dir,
      port: 0,
      inferenceLog: false,
    });
    const out = await mkdtemp(join(tmpdir(), 'mlops-serve-download-'));
    try {
      await downloadModel(w.ctx, `models:/${NAME}/${lstm}`, out);
      const forecaster = await loadForecaster(out);
      const { windows } = await testWindows(lstm);
      expect(windows.length).toBeGreaterThan(50);
      const expected = await forecaster.predict(windows);
      for (const [i, win] of windows.entries()) {
        const res = await postJson(`${fixed.url}/predict`, { prices: Array.from(win) });
        expect(res.status).toBe(200);
        const [p] = res.body['predictions'] as { value: number }[];
        const want = expected[i] ?? NaN;
        expect(Math.abs((p?.value ?? NaN) - want) / Math.abs(want)).toBeLessThan(1e-5);
      }
      const info = (await (await fetch(`${fixed.url}/version`)).json()) as {
        model: { version: string };
      };
      expect(info.model.version).toBe(lstm);
    } finally {
      await fixed.close();
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('swaps to the new champion under load with no failed request, each answer naming its version', async () => {
    const { windows } = await testWindows(linear);
    const body = { prices: Array.from(windows[0] ?? []) };
    const seen: { version: string | null; status: number }[] = [];
    let stop = false;
    const loop = async () => {
      while (!stop) {
        const r = await postJson(`${server.url}/predict`, body);
        seen.push({ version: r.version, status: r.status });
      }
    };
    const loops = [loop(), loop(), loop(), loop()];
    await eventually(async () => (seen.length > 20 ? true : undefined));
    await w.ctx.registry.setAlias(NAME, 'champion', lstm);
    await eventually(async () =>
      seen.slice(-10).every((s) => s.version === lstm) ? true : undefined,
    );
    stop = true;
    await Promise.all(loops);
    expect(seen.filter((s) => s.status !== 200)).toEqual([]);
    expect(new Set(seen.map((s) => s.version))).toEqual(new Set([linear, lstm]));
    // Once the new version answered, the old one never did again.
    const firstNew = seen.findIndex((s) => s.version === lstm);
    expect(seen.slice(firstNew + 20).every((s) => s.version === lstm)).toBe(true);
    // Lineage: run -> model_version -> deployment, for each version this server served.
    for (const version of [linear, lstm]) {
      const node = { type: 'model_version', id: `${NAME}/${version}` } as const;
      const out = await w.client.lineage.edgesFrom(node);
      expect(out.map((e) => [e.relation, e.dst.type])).toContainEqual([
        'deployed_as',
        'deployment',
      ]);
      const into = await w.client.lineage.edgesTo(node);
      expect(into.map((e) => [e.relation, e.src.type])).toContainEqual(['registered_as', 'run']);
    }
    // `mlops lineage models:/<name>@champion` resolves the alias to the version's node.
    const view = await showLineage(w.client, `models:/${NAME}@champion`, 1);
    expect(view.text.split('\n')[0]).toBe(`models:/${NAME}/${lstm}`);
    expect(view.text).toMatch(/--deployed_as--> deployment:/);
  }, 60_000);

  it('writes predictions and feedback to the store, joined by prediction id and by date', async () => {
    const series = Array.from({ length: 30 }, (_, i) => ({
      date: `2024-03-${String(i + 1).padStart(2, '0')}`,
      close: closes[i] ?? 0,
    })).filter((r) => new Date(`${r.date}T00:00:00Z`).getUTCDay() % 6 !== 0);
    const a = await postJson(`${server.url}/predict`, { series: series.slice(-25), horizon: 2 });
    expect(a.status).toBe(200);
    const preds = a.body['predictions'] as { prediction_id: string; target_date: string }[];
    expect(preds).toHaveLength(2);
    const [first, second] = preds;
    expect(first?.target_date).toBe('2024-04-01'); // the Friday 29th's next business day
    const fb = await postJson(`${server.url}/feedback`, [
      { prediction_id: first?.prediction_id, actual: 123.5 },
      { target_date: second?.target_date, actual: 124.5 },
    ]);
    expect(fb.status).toBe(202);
    const store = await openInferenceLog(w.client);
    const rows = await eventually(async () => {
      const got = await store.queryPredictions({ modelName: NAME });
      const mine = got.filter((r) => preds.some((p) => p.prediction_id === r.predictionId));
      return mine.length === 2 && mine.every((r) => r.actual !== undefined) ? mine : undefined;
    });
    expect(rows.map((r) => [r.horizonStep, r.targetDate, r.actual])).toEqual([
      [1, '2024-04-01', 123.5],
      [2, '2024-04-02', 124.5],
    ]);
    expect(rows.every((r) => r.modelVersion === server.slot.current?.version)).toBe(true);
    // The second step's window is the first's, shifted by the first prediction.
    const [one, two] = rows;
    expect(two?.inputs.slice(0, -1)).toEqual(one?.inputs.slice(1));
    expect(rows[0]?.latencyMs).toBeGreaterThanOrEqual(0);
  }, 30_000);

  it('keeps serving its version when the next one is corrupt or disagrees with its signature', async () => {
    const current = server.slot.current?.version;
    // A package whose ONNX graph takes 20 closes but whose signature says 7.
    const good = await w.ctx.registry.getModelVersion(NAME, linear);
    const pkg = await readModelPackage(w.client.blobs, good.packageHash ?? '');
    const { files, package_hash: _h, format: _f, format_version: _v, ...fields } = pkg.manifest;
    const sig = fields.signature;
    const bent = await storeModelPackage(w.client.blobs, {
      fields: {
        ...fields,
        signature: {
          ...sig,
          window: 7,
          inputs: sig.inputs.map((i) => ({ ...i, shape: [-1, 7] })),
        },
      },
      files: Object.entries(files).map(([path, f]) => ({
        path,
        manifestId: f.manifest_id,
        size: f.size,
      })),
    });
    const mismatch = await w.ctx.registry.createModelVersion({
      name: NAME,
      source: good.source,
      ...(good.runId ? { runId: good.runId } : {}),
      packageHash: bent.packageHash,
    });
    await w.ctx.registry.setAlias(NAME, 'champion', mismatch.version);
    await eventually(async () =>
      lines.some((l) => l.includes(`version ${mismatch.version}`)) ? true : undefined,
    );
    expect(lines.join('\n')).toMatch(/signature|window/i);
    let r = await postJson(`${server.url}/predict`, { prices: Array.from(closes.slice(0, 30)) });
    expect(r.status).toBe(200);
    expect(r.version).toBe(current);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);

    // A package whose stored bytes were damaged on disk: its MLmodel no longer hashes right.
    const damaged = await registerModel(w.ctx, { source: good.source, name: NAME });
    const hash = damaged.packageHash;
    const blobFile = await findStoredChunk(w, hash);
    await writeFile(
      blobFile.path,
      Buffer.from(blobFile.bytes.toString('latin1').replace('format', 'FORMAT'), 'latin1'),
    );
    await w.ctx.registry.setAlias(NAME, 'champion', damaged.version.version);
    await eventually(async () =>
      lines.some((l) => l.includes(`version ${damaged.version.version}`)) ? true : undefined,
    );
    r = await postJson(`${server.url}/predict`, { prices: Array.from(closes.slice(0, 30)) });
    expect(r.status).toBe(200);
    expect(r.version).toBe(current);
  }, 60_000);

  it('refuses unknown models, aliases and URIs with errors that say what exists', async () => {
    const start = (uri: string) =>
      serveModel({
        uri,
        trackingUri: w.trackingUri,
        cwd: w.dir,
        port: 0,
        inferenceLog: false,
        log: () => {},
      });
    await expect(start('models:/no-such-model@champion')).rejects.toThrow(
      /No registered model 'no-such-model'/,
    );
    await expect(start(`models:/${NAME}@nosuch`)).rejects.toThrow(
      /has no alias 'nosuch'.*champion/,
    );
    await expect(start(`models:/${NAME}/99`)).rejects.toThrow(/has no version 99/);
    await expect(start('runs:/abc/model')).rejects.toThrow(/register it first/);
    await expect(start('s3://bucket/model')).rejects.toThrow(/Invalid model URI/);
  });
});

/** The local byte store file holding the first chunk of a stored file (the MLmodel text). */
async function findStoredChunk(
  world: ServeWorld,
  manifestId: string,
): Promise<{ path: string; bytes: Buffer }> {
  const { readManifest } = await import('../../src/blobs/index.js');
  const manifest = await readManifest(world.client.blobs, manifestId);
  const chunk = manifest.chunks[0]?.hash ?? '';
  const path = join(world.dir, '.mlops', 'blobs', chunk.slice(0, 2), chunk.slice(2));
  return { path, bytes: await readFile(path) };
}
