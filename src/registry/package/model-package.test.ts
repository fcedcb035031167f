import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore, storeBytes, type BlobStore } from '../../blobs/index.js';
import { expectCode } from '../../testing/index.js';
import {
  buildModelPackage,
  checkOnnxSignature,
  computePackageHash,
  formatModelManifest,
  parseModelManifest,
  readModelPackage,
  storeModelPackage,
  type ModelPackageFields,
  type ModelSignature,
} from './index.js';

const { onnx } = onnxProto;

/** y = x · w + b as ONNX: `closes` float32 [N, window] -> `next_close` float32 [N, 1]. */
function linearOnnx(window: number, inputName = 'closes'): Uint8Array {
  const T = onnx.TensorProto.DataType;
  const tensor = (name: string, dims: number[], values: number[]) => ({
    name,
    dataType: T.FLOAT,
    dims,
    floatData: values,
  });
  const value = (name: string, dims: (number | string)[]) => ({
    name,
    type: {
      tensorType: {
        elemType: T.FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'linear',
      node: [
        { opType: 'MatMul', input: [inputName, 'w'], output: ['xw'] },
        { opType: 'Add', input: ['xw', 'b'], output: ['next_close'] },
      ],
      initializer: [
        tensor(
          'w',
          [window, 1],
          Array.from({ length: window }, () => 1 / window),
        ),
        tensor('b', [1], [0]),
      ],
      input: [value(inputName, ['N', window])],
      output: [value('next_close', ['N', 1])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

const signature = (window: number): ModelSignature => ({
  inputs: [{ name: 'closes', dtype: 'float32', shape: [-1, window] }],
  outputs: [{ name: 'next_close', dtype: 'float32', shape: [-1, 1] }],
  window,
});

const fields = (window = 3): ModelPackageFields => ({
  created: '2026-11-27T09:00:00.000Z',
  run_id: 'abc',
  source: 'runs:/abc/model',
  model_kind: 'external',
  flavors: { onnx: { file: 'model.onnx', opset: 17, ir_version: 8 } },
  signature: signature(window),
  metrics: { rmse: 1.5 },
  git_commit: null,
  row_ranges: {
    train: { start: 3, end: 80, first_date: '2020-01-06', last_date: '2020-04-30' },
    validation: { start: 80, end: 90, first_date: '2020-05-01', last_date: '2020-05-14' },
    test: { start: 90, end: 100, first_date: '2020-05-15', last_date: '2020-05-29' },
  },
});

describe('model packages', () => {
  let dir: string;
  let blobs: BlobStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-package-'));
    blobs = new LocalBlobStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function storeOnnx(bytes = linearOnnx(3)) {
    const stored = await storeBytes(blobs, bytes);
    return { path: 'model.onnx', manifestId: stored.manifestId, size: stored.size };
  }

  it('stores only the MLmodel and reference.json, and reads back every file verified', async () => {
    const onnxFile = await storeOnnx();
    const before = await countBlobs(blobs);
    const stored = await storeModelPackage(blobs, {
      fields: fields(),
      files: [onnxFile],
      reference: {
        features: { columns: ['last_close'], rows: [[1], [2]] },
        holdout: { dates: ['2020-05-15'], actual: [3], predicted: [2.5] },
      },
    });
    // Small files are one chunk + one manifest each: two new files, four new blobs.
    expect((await countBlobs(blobs)) - before).toBe(4);
    expect(stored.manifest.reference).toEqual({
      file: 'reference.json',
      feature_columns: ['last_close'],
      rows: 2,
    });
    const pkg = await readModelPackage(blobs, stored.packageHash);
    expect(pkg.manifest).toEqual(stored.manifest);
    expect(pkg.manifest.package_hash).toBe(computePackageHash(pkg.manifest));
    expect(await pkg.readFile('model.onnx')).toEqual(linearOnnx(3));
    expect((await pkg.reference())?.holdout.predicted).toEqual([2.5]);
    await expectCode(pkg.readFile('nope.bin'), 'RESOURCE_DOES_NOT_EXIST');
    // Storing the same package again is the same hash (the manifest is deterministic).
    const again = await storeModelPackage(blobs, {
      fields: fields(),
      files: [onnxFile],
      reference: {
        features: { columns: ['last_close'], rows: [[1], [2]] },
        holdout: { dates: ['2020-05-15'], actual: [3], predicted: [2.5] },
      },
    });
    expect(again.packageHash).toBe(stored.packageHash);
  });

  it('refuses an edited MLmodel whose package_hash no longer matches', async () => {
    const built = buildModelPackage(fields(), [await storeOnnx()]);
    const edited = built.text.replace('rmse: 1.5', 'rmse: 0.5');
    expect(edited).not.toBe(built.text);
    const hash = (await storeBytes(blobs, new TextEncoder().encode(edited))).manifestId;
    const err = await expectCode(readModelPackage(blobs, hash), 'PACKAGE_CORRUPT');
    expect(err.message).toMatch(/MLmodel's package_hash .* does not match its content/);
  });

  it('names a file that is missing from the byte store', async () => {
    const onnxFile = await storeOnnx();
    const stored = await storeModelPackage(blobs, { fields: fields(), files: [onnxFile] });
    await unlink(blobPath(dir, onnxFile.manifestId));
    const err = await expectCode(readModelPackage(blobs, stored.packageHash), 'PACKAGE_CORRUPT');
    expect(err.message).toMatch(/file 'model\.onnx' \(manifest [0-9a-f]{64}\) is missing/);
  });

  it('names the key of an invalid MLmodel', async () => {
    const built = buildModelPackage(fields(), [await storeOnnx()]);
    const bad = built.text.replace('dtype: float32', 'dtype: float99');
    expect(() => parseModelManifest(bad, 'pkg')).toThrow(
      /key 'signature\.inputs\[0\]\.dtype' must be one of float32, .*got "float99"/,
    );
    expect(() => parseModelManifest(built.text.replace(/^source:.*$/m, ''), 'pkg')).toThrow(
      /missing key 'source'/,
    );
    expect(() => parseModelManifest(`${built.text}extra: 1\n`, 'pkg')).toThrow(
      /unknown key 'extra'/,
    );
    expect(() => parseModelManifest('a: [', 'pkg')).toThrow(/not valid YAML/);
  });

  it('refuses flavors naming absent files and unsafe paths when building', async () => {
    const onnxFile = await storeOnnx();
    expect(() => buildModelPackage(fields(), [{ ...onnxFile, path: 'other.onnx' }])).toThrow(
      /flavors\.onnx\.file names 'model\.onnx', which is not among its files \(other\.onnx\)/,
    );
    expect(() =>
      buildModelPackage(fields(), [onnxFile, { ...onnxFile, path: '../escape' }]),
    ).toThrow(/'\.\.\/escape' is not a relative/);
    await expectCode(
      storeModelPackage(blobs, {
        fields: fields(),
        files: [{ ...onnxFile, manifestId: 'f'.repeat(64) }],
      }),
      'BLOB_NOT_FOUND',
    );
  });

  it('writes MLmodel YAML that parses back to the same manifest', async () => {
    const built = buildModelPackage(fields(), [await storeOnnx()]);
    expect(built.text).toMatch(/^format: mlops-model-package\nformat_version: 1\n/);
    expect(parseModelManifest(formatModelManifest(built.manifest), 'pkg')).toEqual(built.manifest);
  });
});

describe('checkOnnxSignature', () => {
  it('accepts a graph that matches and reads opset and IR version', async () => {
    const info = await checkOnnxSignature(linearOnnx(5), signature(5));
    expect(info).toMatchObject({ opset: 17, irVersion: 8 });
    expect(info.inputs).toEqual([{ name: 'closes', dtype: 'float32', shape: [-1, 5] }]);
  });

  it('names both sides when the window or the names differ', async () => {
    const err = await expectCode(
      checkOnnxSignature(linearOnnx(5), signature(30)),
      'MODEL_SIGNATURE_MISMATCH',
    );
    expect(err.message).toContain(
      'model.onnx declares inputs closes float32 [-1, 5] but the signature says closes float32 [-1, 30]',
    );
    const renamed = await expectCode(
      checkOnnxSignature(linearOnnx(5, 'x'), signature(5)),
      'MODEL_SIGNATURE_MISMATCH',
    );
    expect(renamed.message).toMatch(/declares inputs x float32 \[-1, 5\]/);
  });

  it('refuses bytes that are not ONNX', async () => {
    const err = await expectCode(
      checkOnnxSignature(new TextEncoder().encode('not a model at all'), signature(3)),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toMatch(/model\.onnx is not an ONNX model/);
  });
});

async function countBlobs(blobs: BlobStore): Promise<number> {
  let n = 0;
  for await (const _ of blobs.list()) n++;
  return n;
}

function blobPath(root: string, hash: string): string {
  return join(root, hash.slice(0, 2), hash.slice(2));
}
