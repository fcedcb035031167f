import { afterEach, describe, expect, it } from 'vitest';
import { MlopsError } from '../../src/core/index.js';
import {
  startPredictionServer,
  type LoadedModel,
  type ModelRef,
  type RunningPredictionServer,
} from '../../src/serving/index.js';
import {
  get,
  post,
  twoVersions,
  version,
  WINDOW,
  type Answer,
} from './prediction-server-harness.js';

const PRICES = [100, 101, 102, 103, 104];

/** A registry stand-in: the alias points at `target`; `load` hands out the matching version. */
function alias(versions: LoadedModel[]) {
  const byVersion = new Map(versions.map((v) => [v.version, v]));
  const state = { target: versions[0] as ModelRef, loads: 0 };
  return {
    state,
    follow: {
      resolve: async () => state.target,
      load: async (ref: ModelRef) => {
        state.loads += 1;
        const model = byVersion.get(ref.version);
        if (!model) throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `no version ${ref.version}`);
        return model;
      },
      pollIntervalMs: 3_600_000, // the tests trigger checks themselves
    },
  };
}

describe('hot swaps', () => {
  let server: RunningPredictionServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('swaps under a steady stream of requests: none fails, each names the version that answered', async () => {
    const [v1, v2] = await twoVersions();
    const { state, follow } = alias([v1, v2]);
    server = await startPredictionServer({ port: 0, follow, log: () => {} });
    const url = server.url;
    const answers: { client: number; res: Answer }[] = [];
    let stop = false;
    const client = async (i: number) => {
      while (!stop) {
        const prices = PRICES.map((p) => p + i);
        const res =
          i % 2 === 0
            ? await post(`${url}/predict`, { prices })
            : await post(`${url}/invocations`, { inputs: [prices] });
        answers.push({ client: i, res });
      }
    };
    const clients = Array.from({ length: 6 }, (_, i) => client(i));
    while (answers.length < 30) await new Promise((r) => setTimeout(r, 5));
    state.target = v2;
    const outcome = await server.follower?.check();
    expect(outcome?.kind).toBe('swapped');
    const swappedAt = answers.length;
    while (answers.length < swappedAt + 30) await new Promise((r) => setTimeout(r, 5));
    stop = true;
    await Promise.all(clients);

    expect(answers.filter((a) => a.res.status !== 200).map((a) => a.res.text)).toEqual([]);
    for (const { client, res } of answers) {
      const answeredBy = res.headers.get('x-mlops-model-version');
      expect(res.body.model.version).toBe(answeredBy);
      // The value is what the named version computes: v1 the last close, v2 the last close + 1.
      const first = res.body.predictions[0];
      const value: number = typeof first === 'number' ? first : first.value;
      expect(value).toBeCloseTo(104 + client + (answeredBy === '2' ? 1 : 0), 3);
    }
    const versions = answers.map((a) => a.res.body.model.version);
    expect(versions).toContain('1');
    expect(versions).toContain('2');
    // Requests sent after the swap completed get the new version.
    expect(answers.slice(swappedAt + 6).every((a) => a.res.body.model.version === '2')).toBe(true);
    const after = await post(`${url}/predict`, { prices: PRICES });
    expect(after.body.model.version).toBe('2');
    expect(after.body.predictions[0].value).toBeCloseTo(105, 4);
    const metrics = await get(`${url}/metrics`);
    expect(metrics.text).toMatch(/mlops_serving_model_swaps_total 2/);
    expect(metrics.text).toMatch(/mlops_serving_model_info\{name="goog",version="2"/);
  });

  it('keeps serving the current version when the next one is corrupt or incompatible', async () => {
    const [v1, v2] = await twoVersions();
    const lines: string[] = [];
    const broken: LoadedModel[] = [
      version('3', new TextEncoder().encode('not an onnx graph')),
      version('4', v2.onnx as Uint8Array, { window: WINDOW + 1 }),
      version('5', v2.onnx as Uint8Array, { inputName: 'prices' }),
    ];
    const { state, follow } = alias([v1, ...broken]);
    const corrupt = { name: 'goog', version: '6', packageHash: 'f'.repeat(64) };
    const load = follow.load;
    follow.load = async (ref) => {
      if (ref.version === '6') {
        throw new MlopsError('BLOB_CORRUPT', "Package file 'model.onnx' does not match its hash.");
      }
      return load(ref);
    };
    server = await startPredictionServer({ port: 0, follow, log: (l) => lines.push(l) });
    const url = server.url;

    for (const target of [...broken, corrupt]) {
      state.target = target;
      const outcome = await server.follower?.check();
      expect(outcome?.kind, target.version).toBe('failed');
      const ready = await get(`${url}/ready`);
      expect(ready.status).toBe(200);
      const res = await post(`${url}/predict`, { prices: PRICES });
      expect(res.status).toBe(200);
      expect(res.body.model.version).toBe('1');
    }
    expect(lines.join('\n')).toMatch(
      /could not load model 'goog' version 4: .*window.*still serving version 1/,
    );
    expect(lines.join('\n')).toMatch(/version 5: .*'prices'/);
    expect(lines.join('\n')).toMatch(/version 6: Package file 'model.onnx'/);
    const metrics = await get(`${url}/metrics`);
    expect(metrics.text).toMatch(/mlops_serving_model_swap_failures_total 4/);

    // A failed version is not reloaded on every poll, only after the retry delay or on request.
    const loads = state.loads;
    expect((await server.follower?.check())?.kind).toBe('skipped');
    expect(state.loads).toBe(loads);
    expect((await server.follower?.check({ retry: true }))?.kind).toBe('failed');
  });

  it('answers 503 on /ready and /predict until the first version is warm', async () => {
    const [v1] = await twoVersions();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server = await startPredictionServer({
      port: 0,
      follow: {
        resolve: async () => v1,
        load: async () => {
          await gate;
          return v1;
        },
      },
      waitForModel: false,
      log: () => {},
    });
    const url = server.url;
    expect((await get(`${url}/health`)).status).toBe(200);
    const notReady = await get(`${url}/ready`);
    expect(notReady.status).toBe(503);
    expect(notReady.body.ready).toBe(false);
    const early = await post(`${url}/predict`, { prices: PRICES });
    expect(early.status).toBe(503);
    expect(early.body.error_code).toBe('TEMPORARILY_UNAVAILABLE');
    expect((await get(`${url}/version`)).body.model).toBeNull();
    release();
    while ((await get(`${url}/ready`)).status !== 200) await new Promise((r) => setTimeout(r, 10));
    expect((await post(`${url}/predict`, { prices: PRICES })).status).toBe(200);
  });

  it('fails to start when the first version cannot be loaded', async () => {
    const [v1] = await twoVersions();
    const bad = { ...v1, window: 7 };
    await expect(
      startPredictionServer({ port: 0, model: bad, log: () => {} }),
    ).rejects.toMatchObject({
      code: 'MODEL_SIGNATURE_MISMATCH',
    });
  });

  it('answers 503 when a prediction outlasts the request timeout, and keeps serving', async () => {
    const slowFor = 999;
    const model: LoadedModel = {
      name: 'slow',
      version: '1',
      packageHash: 's'.repeat(64),
      window: WINDOW,
      inputName: 'closes',
      outputName: 'next_close',
      fallback: async (windows) => {
        if (windows[0]?.[0] === slowFor) await new Promise((r) => setTimeout(r, 1000));
        return Float64Array.from(windows, (w) => w[w.length - 1] ?? NaN);
      },
    };
    server = await startPredictionServer({ port: 0, model, requestTimeoutMs: 100, log: () => {} });
    const res = await post(`${server.url}/predict`, { prices: [slowFor, 1, 2, 3, 4] });
    expect(res.status).toBe(503);
    expect(res.body.error_code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(res.body.message).toMatch(/request timeout of 100 ms/);
    const ok = await post(`${server.url}/predict`, { prices: [1, 2, 3, 4, 5] });
    expect(ok.status).toBe(200);
    expect(ok.body.predictions[0].value).toBe(5);
  });
});
