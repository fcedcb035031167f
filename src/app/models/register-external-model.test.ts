import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readManifest } from '../../blobs/index.js';
import type { RegistryStore } from '../../registry/index.js';
import { expectCode } from '../../testing/index.js';
import type { TrackingClient } from '../../tracking/index.js';
import { connect, openRegistry } from '../connect.js';
import { loadModelPackage } from './load-model-package.js';
import type { ModelsContext } from './models-context.js';
import { registerModel } from './register-model.js';

/** y = mean of the window as ONNX: `closes` float32 [N, window] -> `next_close` [N, 1]. */
function linearOnnx(window: number): Uint8Array {
  const { onnx } = onnxProto;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const value = (name: string, dims: (number | string)[]) => ({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  });
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'mean',
        node: [{ opType: 'MatMul', input: ['closes', 'w'], output: ['next_close'] }],
        initializer: [
          {
            name: 'w',
            dataType: FLOAT,
            dims: [window, 1],
            floatData: Array(window).fill(1 / window),
          },
        ],
        input: [value('closes', ['N', window])],
        output: [value('next_close', ['N', 1])],
      },
    }),
  ).finish();
}

describe('registerModel with an external ONNX model', () => {
  let dir: string;
  let client: TrackingClient;
  let registry: RegistryStore;
  let ctx: ModelsContext;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-models-ext-'));
    await mkdir(join(dir, '.mlops'));
    client = await connect(undefined, { cwd: dir });
    registry = await openRegistry(client);
    ctx = { client, registry, cwd: dir };
  });
  afterEach(async () => {
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('registers an external ONNX model with a declared signature, and refuses a wrong one', async () => {
    const modelDir = join(dir, 'ext');
    await mkdir(modelDir);
    await writeFile(join(modelDir, 'model.onnx'), linearOnnx(5));
    const signature = (window: number) =>
      JSON.stringify({
        inputs: [{ name: 'closes', dtype: 'float32', shape: [-1, window] }],
        outputs: [{ name: 'next_close', dtype: 'float32', shape: [-1, 1] }],
      });
    const runWith = async (sig?: string) => {
      if (sig === undefined) await rm(join(modelDir, 'signature.json'), { force: true });
      else await writeFile(join(modelDir, 'signature.json'), sig);
      return client.withRun({ cwd: dir }, async (run) => {
        await run.logArtifacts(modelDir, 'model');
        return run.id;
      });
    };
    const wrong = await runWith(signature(30));
    const err = await expectCode(
      registerModel(ctx, { source: `runs:/${wrong}/model`, name: 'ext' }),
      'MODEL_SIGNATURE_MISMATCH',
    );
    expect(err.message).toContain(
      'model/model.onnx declares inputs closes float32 [-1, 5] but the signature says closes float32 [-1, 30]',
    );
    await expectCode(registry.getRegisteredModel('ext'), 'RESOURCE_DOES_NOT_EXIST');

    const unsigned = await runWith();
    const missing = await expectCode(
      registerModel(ctx, { source: `runs:/${unsigned}/model`, name: 'ext' }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(missing.message).toMatch(/has no declared signature: log model\/signature\.json/);

    const bad = await runWith(
      '{"inputs": [{"name": "closes", "dtype": "float99", "shape": [-1, 5]}]}',
    );
    const badErr = await expectCode(
      registerModel(ctx, { source: `runs:/${bad}/model`, name: 'ext' }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(badErr.message).toMatch(
      /model\/signature\.json: key 'inputs\[0\]\.dtype' must be one of float32/,
    );

    const good = await runWith(signature(5));
    const r = await registerModel(ctx, { source: `runs:/${good}/model`, name: 'ext' });
    expect(r.manifest).toMatchObject({ model_kind: 'external', signature: { window: 5 } });
    expect(r.manifest.dataset).toBeUndefined();
    const loaded = await loadModelPackage(ctx, 'models:/ext/latest');
    expect(await loaded.files.readFile('model.onnx')).toEqual(linearOnnx(5));

    // Damage the graph's bytes in the store: loading names the version and the file.
    const onnxManifest = await readManifest(
      client.blobs,
      r.manifest.files['model.onnx']?.manifest_id ?? '',
    );
    const chunk = onnxManifest.chunks[0]?.hash ?? '';
    const chunkPath = join(dir, '.mlops', 'blobs', chunk.slice(0, 2), chunk.slice(2));
    await chmod(chunkPath, 0o644);
    await writeFile(chunkPath, 'garbage');
    const corrupt = await expectCode(loadModelPackage(ctx, 'models:/ext/1'), 'PACKAGE_CORRUPT');
    expect(corrupt.message).toMatch(
      /^Model ext version 1: Model package [0-9a-f]{64}: file 'model\.onnx'/,
    );
  });
});
