/** @module registry/package: the model package format (MLmodel manifest + stored files). */
export {
  MLMODEL_FILE,
  PACKAGE_FORMAT,
  PACKAGE_FORMAT_VERSION,
  PACKAGE_MODEL_KINDS,
  TENSOR_DTYPES,
  isPackagePath,
  modelManifestSchema,
  type ModelPackageManifest,
  type ModelSignature,
  type PackageFileEntry,
  type PackageModelKind,
  type PackageRowRange,
  type TensorDtype,
  type TensorSpec,
} from './model-manifest.js';
export { formatModelManifest, parseModelManifest } from './manifest-text.js';
export { canonicalJson, computePackageHash } from './package-hash.js';
export {
  buildModelPackage,
  type BuiltModelPackage,
  type ModelPackageFields,
  type PackageFileRecord,
} from './build-model-package.js';
export {
  readModelPackage,
  storeModelPackage,
  type LoadedModelPackage,
  type StoredModelPackage,
  type StoreModelPackageInput,
} from './model-package-store.js';
export {
  REFERENCE_FILE,
  formatReferenceSample,
  parseReferenceSample,
  type ReferenceSample,
} from './reference-sample.js';
export {
  checkOnnxSignature,
  formatTensor,
  readOnnxSignature,
  signatureFromGraph,
  type OnnxGraphInfo,
} from './onnx-signature.js';
