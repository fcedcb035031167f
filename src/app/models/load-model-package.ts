import { MlopsError } from '../../core/index.js';
import {
  checkOnnxSignature,
  readModelPackage,
  type LoadedModelPackage,
  type ModelPackageManifest,
  type ModelVersion,
} from '../../registry/index.js';
import { resolveModelUri } from './model-uri.js';
import type { ModelsContext } from './models-context.js';

export interface LoadedRegisteredModel {
  readonly name: string;
  readonly version: string;
  readonly packageHash: string;
  readonly manifest: ModelPackageManifest;
  /** The verified package: every file's bytes already checked against its hash. */
  readonly files: LoadedModelPackage;
  readonly modelVersion: ModelVersion;
}

/**
 * Resolves a `models:/` URI and loads its package, verified: the MLmodel and every file match
 * their hashes, and the ONNX graph still matches the signature. Anything wrong is
 * `PACKAGE_CORRUPT` (or `MODEL_SIGNATURE_MISMATCH`) naming the version and the file, so a
 * server can refuse it and keep serving.
 */
export async function loadModelPackage(
  ctx: ModelsContext,
  uri: string,
): Promise<LoadedRegisteredModel> {
  const version = await resolveModelUri(ctx.registry, uri);
  return loadVersionPackage(ctx, version);
}

/** `loadModelPackage` for a version already looked up. */
export async function loadVersionPackage(
  ctx: ModelsContext,
  version: ModelVersion,
): Promise<LoadedRegisteredModel> {
  const label = `${version.name} version ${version.version}`;
  if (!version.packageHash) {
    throw new MlopsError(
      'INVALID_STATE',
      `Model ${label} has no package (it was created without one, e.g. through MLflow's API); register the run's model with \`mlops models register ${version.source} --name ${version.name}\`.`,
      { details: { name: version.name, version: version.version } },
    );
  }
  let files: LoadedModelPackage;
  try {
    files = await readModelPackage(ctx.client.blobs, version.packageHash);
  } catch (err) {
    if (MlopsError.is(err) && err.code === 'PACKAGE_CORRUPT') {
      throw new MlopsError('PACKAGE_CORRUPT', `Model ${label}: ${err.message}`, {
        cause: err,
        details: { ...err.details, name: version.name, version: version.version },
      });
    }
    throw err;
  }
  const { manifest } = files;
  const onnxFile = manifest.flavors.onnx?.file;
  if (onnxFile !== undefined) {
    try {
      await checkOnnxSignature(await files.readFile(onnxFile), manifest.signature, onnxFile);
    } catch (err) {
      if (!MlopsError.is(err)) throw err;
      // Not ONNX at all is damage; a graph that disagrees with its signature keeps its own code.
      const code = err.code === 'MODEL_SIGNATURE_MISMATCH' ? err.code : 'PACKAGE_CORRUPT';
      throw new MlopsError(code, `Model ${label}: ${err.message}`, {
        cause: err,
        details: { file: onnxFile, name: version.name, version: version.version },
      });
    }
  }
  return {
    name: version.name,
    version: version.version,
    packageHash: version.packageHash,
    manifest,
    files,
    modelVersion: version,
  };
}
