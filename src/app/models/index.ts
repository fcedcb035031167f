/** @module app/models: registering runs' models as packages, model URIs, loading, gc roots. */
export type { ModelsContext } from './models-context.js';
export { parseModelUri, resolveModelUri, type ModelUri } from './model-uri.js';
export {
  registerModel,
  type RegisterModelInput,
  type RegisteredVersion,
} from './register-model.js';
export {
  loadModelPackage,
  loadVersionPackage,
  type LoadedRegisteredModel,
} from './load-model-package.js';
export { modelPackageRoots } from './package-roots.js';
export { findTrainingData, type TrainingData } from './training-data.js';
export { REFERENCE_MAX_ROWS } from './forecaster-package.js';
export { parseSignatureFile, SIGNATURE_FILES } from './signature-file.js';
export {
  downloadModel,
  listModels,
  showModel,
  summarizePackage,
  type ModelDetails,
  type PackageSummary,
} from './model-views.js';
