/**
 * @module app/promotion: the promotion gate wired to the registry, model packages and the
 * forecasting module (which scores each package's ONNX graph on the comparison rows).
 */
export { promote, type PromoteOptions, type PromotionResult } from './promote.js';
export { formatPromotion } from './format-promotion.js';
export { comparisonRows, trainedThrough, type ComparisonRows } from './comparison-rows.js';
export { ensurePersistenceVersion, modelVersions } from './persistence-version.js';
export { workspaceGateConfig, PARAMS_FILE } from './gate-params.js';
export { readChampion, type ChampionReport } from './quickstart-champion.js';
