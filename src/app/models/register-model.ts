import { readStoredFile } from '../../blobs/index.js';
import { invalidParam, MlopsError } from '../../core/index.js';
import { LineageRelations } from '../../lineage/index.js';
import {
  checkOnnxSignature,
  readOnnxSignature,
  signatureFromGraph,
  storeModelPackage,
  type ModelPackageFields,
  type ModelPackageManifest,
  type ModelVersion,
  type PackageFileRecord,
  type ReferenceSample,
  validateModelName,
} from '../../registry/index.js';
import { SystemTags, type ArtifactRecord } from '../../tracking/index.js';
import { forecasterPackageParts } from './forecaster-package.js';
import { parseModelUri } from './model-uri.js';
import type { ModelsContext } from './models-context.js';
import {
  externalSignature,
  FORECASTER_FILE,
  knownDatasets,
  ONNX_FILE,
  parseForecaster,
  SUMMARY_FILE,
  TFJS_FILE,
  trainingRecord,
} from './run-model-files.js';

export interface RegisterModelInput {
  /** `runs:/<run id>/<path>` (the path defaults to `model`). */
  readonly source: string;
  readonly name: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface RegisteredVersion {
  readonly version: ModelVersion;
  readonly packageHash: string;
  readonly manifest: ModelPackageManifest;
  /** True when the registered model was created by this call. */
  readonly createdModel: boolean;
}

/**
 * Registers a run's model as a new version of `name` (created when missing): builds the
 * package from the run's artifact records (no bytes stored twice), the run's params, git commit
 * and, for our forecasters, the dataset version it trained on (row ranges, input example,
 * reference sample, holdout predictions and test metrics). An ONNX graph that disagrees with its
 * signature is refused before anything is written. Lineage: run -> `model_version <name>/<v>`.
 */
export async function registerModel(
  ctx: ModelsContext,
  input: RegisterModelInput,
): Promise<RegisteredVersion> {
  validateModelName(input.name);
  const uri = parseModelUri(input.source);
  if (uri.scheme !== 'runs') {
    throw invalidParam(
      `Register a run's model (runs:/<run id>/model), not '${input.source}'; to point a name at an existing version use \`mlops models alias set\`.`,
      { field: 'source' },
    );
  }
  const { client, registry } = ctx;
  const run = await client.store.getRun(uri.runId);
  const records = await client.store.listArtifactRecords(uri.runId, uri.path);
  const files = packageFiles(records, uri.path);
  if (files.length === 0) {
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `Run ${uri.runId} has no artifacts under '${uri.path}'; list them with \`mlops artifacts list ${uri.runId}\`.`,
      { details: { source: input.source } },
    );
  }
  const read = async (path: string) => {
    const file = files.find((f) => f.path === path);
    return file ? readStoredFile(client.blobs, file.manifestId) : undefined;
  };
  const onnx = await read(ONNX_FILE);
  const forecasterText = await read(FORECASTER_FILE);
  const base = {
    run_id: uri.runId,
    source: `runs:/${uri.runId}/${uri.path}`,
    params: { ...run.data.params },
    git_commit: run.data.tags[SystemTags.gitCommit] ?? null,
  };
  let fields: ModelPackageFields;
  let reference: ReferenceSample | undefined;
  let packaged = files;
  if (forecasterText) {
    const forecaster = parseForecaster(
      forecasterText.toString('utf8'),
      `${uri.path}/${FORECASTER_FILE}`,
    );
    if (!onnx) {
      throw invalidParam(
        `Run ${uri.runId} has ${uri.path}/${FORECASTER_FILE} but no ${uri.path}/${ONNX_FILE}; export the model to ONNX (forecaster.exportOnnx()) and log it beside it.`,
      );
    }
    const signature = signatureFromGraph(await readOnnxSignature(onnx, ONNX_FILE), ONNX_FILE);
    const checked = await checkOnnxSignature(
      onnx,
      { ...signature, window: forecaster.windowSize },
      ONNX_FILE,
    );
    const parts = await forecasterPackageParts({
      blobs: client.blobs,
      run,
      record: await trainingRecord(run, read, `${uri.path}/${SUMMARY_FILE}`),
      kind: forecaster.kind,
      windowSize: forecaster.windowSize,
      signature,
      onnx,
      knownData: await knownDatasets(ctx, uri.runId),
      ...(ctx.cwd === undefined ? {} : { cwd: ctx.cwd }),
    });
    reference = parts.reference;
    fields = {
      ...base,
      model_kind: forecaster.kind,
      flavors: {
        onnx: onnxFlavor(checked),
        mlops_forecaster: { file: FORECASTER_FILE },
        ...(files.some((f) => f.path === TFJS_FILE) ? { tfjs: { file: TFJS_FILE } } : {}),
      },
      signature: { ...signature, window: forecaster.windowSize },
      ...parts.fields,
    };
  } else {
    if (!onnx) {
      throw invalidParam(
        `Run ${uri.runId} has no ${uri.path}/${ONNX_FILE}; a registrable model is an ONNX graph (plus ${FORECASTER_FILE} for mlops forecasters, or a signature file for others).`,
      );
    }
    const signature = await externalSignature(read, uri.path);
    const checked = await checkOnnxSignature(onnx, signature, `${uri.path}/${ONNX_FILE}`);
    // An MLflow-style MLmodel is superseded by the package's own.
    packaged = files.filter((f) => f.path !== 'MLmodel');
    fields = { ...base, model_kind: 'external', flavors: { onnx: onnxFlavor(checked) }, signature };
  }
  const stored = await storeModelPackage(client.blobs, {
    fields,
    files: packaged,
    ...(reference ? { reference } : {}),
  });
  const createdModel = await ensureModel(ctx, input.name);
  const version = await registry.createModelVersion({
    name: input.name,
    source: fields.source,
    runId: uri.runId,
    packageHash: stored.packageHash,
    ...(input.description === undefined ? {} : { description: input.description }),
    tags: Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value })),
  });
  await client.lineage.record([
    {
      src: { type: 'run', id: uri.runId },
      dst: { type: 'model_version', id: `${version.name}/${version.version}` },
      relation: LineageRelations.registeredAs,
      attrs: { package_hash: stored.packageHash, source: fields.source },
    },
  ]);
  return { version, packageHash: stored.packageHash, manifest: stored.manifest, createdModel };
}

/** The run's records under `prefix`, re-rooted at the package. */
function packageFiles(records: readonly ArtifactRecord[], prefix: string): PackageFileRecord[] {
  return records
    .filter((r) => r.path.startsWith(`${prefix}/`))
    .map((r) => ({
      path: r.path.slice(prefix.length + 1),
      manifestId: r.manifestId,
      size: r.size,
    }));
}

function onnxFlavor(info: { opset?: number; irVersion?: number }) {
  return {
    file: ONNX_FILE,
    ...(info.opset === undefined ? {} : { opset: info.opset }),
    ...(info.irVersion === undefined ? {} : { ir_version: info.irVersion }),
  };
}

/** Creates the registered model when missing; true when this call created it. */
async function ensureModel(ctx: ModelsContext, name: string): Promise<boolean> {
  try {
    await ctx.registry.getRegisteredModel(name);
    return false;
  } catch (err) {
    if (!MlopsError.is(err) || err.code !== 'RESOURCE_DOES_NOT_EXIST') throw err;
  }
  try {
    await ctx.registry.createRegisteredModel({ name });
    return true;
  } catch (err) {
    // Another process created it between our lookup and insert.
    if (MlopsError.is(err) && err.code === 'RESOURCE_ALREADY_EXISTS') return false;
    throw err;
  }
}
