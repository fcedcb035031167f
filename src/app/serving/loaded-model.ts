import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MlopsError } from '../../core/index.js';
import type { ModelVersion } from '../../registry/index.js';
import type { LoadedModel } from '../../serving/index.js';
import { loadVersionPackage, type LoadedRegisteredModel } from '../models/index.js';
import type { ModelsContext } from '../models/models-context.js';

/**
 * A registered version as serving wants it: the verified package's ONNX bytes, or, for a
 * package without an ONNX flavor, our own forecaster loaded with TensorFlow.js as the fallback.
 */
export async function loadServedModel(
  ctx: ModelsContext,
  version: ModelVersion,
): Promise<LoadedModel> {
  const pkg = await loadVersionPackage(ctx, version);
  const { signature, flavors } = pkg.manifest;
  const input = signature.inputs[0];
  const output = signature.outputs[0];
  const base = {
    name: pkg.name,
    version: pkg.version,
    packageHash: pkg.packageHash,
    window: signature.window,
    inputName: input?.name ?? 'closes',
    outputName: output?.name ?? 'next_close',
  };
  if (flavors.onnx) return { ...base, onnx: await pkg.files.readFile(flavors.onnx.file) };
  if (flavors.mlops_forecaster) return { ...base, fallback: await forecasterFallback(pkg) };
  throw new MlopsError(
    'INVALID_STATE',
    `Model ${pkg.name} version ${pkg.version} has neither an onnx nor an mlops_forecaster flavor, so it cannot be served; register a run whose model directory holds model.onnx.`,
    { details: { name: pkg.name, version: pkg.version } },
  );
}

/** Writes the forecaster's files to a scratch directory and loads it (tfjs, wasm or cpu). */
async function forecasterFallback(
  pkg: LoadedRegisteredModel,
): Promise<(windows: readonly Float64Array[]) => Promise<Float64Array>> {
  const manifestFile = pkg.manifest.flavors.mlops_forecaster?.file ?? 'forecaster.json';
  const root = dirname(manifestFile) === '.' ? '' : `${dirname(manifestFile)}/`;
  const scratch = await mkdtemp(join(tmpdir(), 'mlops-serve-'));
  try {
    for (const path of Object.keys(pkg.manifest.files)) {
      if (root !== '' && !path.startsWith(root)) continue;
      const target = join(scratch, path.slice(root.length));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, await pkg.files.readFile(path));
    }
    const { loadForecaster } = await import('../../forecast/index.js');
    const forecaster = await loadForecaster(scratch);
    return (windows) => forecaster.predict(windows);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
