/** @module app: wires the capabilities together (connect, gc roots, lineage views, quickstart). */
export {
  connect,
  openInferenceLog,
  openRegistry,
  openSnapshotStore,
  type ConnectOptions,
} from './connect.js';
export { findWorkspace, workspacePaths, type WorkspacePaths } from './workspace.js';
export { gcRoots, type GcRootsOptions } from './gc-roots.js';
export { showLineage, type LineageView } from './show-lineage.js';
export { quickstart, type QuickstartReport } from './quickstart.js';
export { compareRuns, type RunComparison } from './compare-runs.js';
export { upgradeTrackingDatabase } from './db-upgrade.js';
export { listExperiments, searchRuns, showRun, type RunSearch } from './tracking-views.js';
export {
  validateDataset,
  forecastTrain,
  forecastBacktest,
  QUICK_PRESET_ROWS,
  type ForecastJob,
} from './forecast-jobs.js';
export {
  dataAddJob,
  dataStatusJob,
  dataCheckoutJob,
  dataContext,
  type DataJobOptions,
} from './data-jobs.js';
export {
  dataImportJob,
  priceContract,
  IMPORT_CONTRACT_WINDOW,
  type DataImportJob,
  type DataImportResult,
} from './data-import-jobs.js';
export {
  dataRemoteAddJob,
  dataRemoteListJob,
  dataRemoteModifyJob,
  dataRemoteRemoveJob,
  dataPushJob,
  dataFetchJob,
  dataPullJob,
  dataStatusRemoteJob,
  type DataTransferJobOptions,
} from './data-remote-jobs.js';
export {
  dataLogJob,
  dataDiffJob,
  dataGcJob,
  dataVerifyJob,
  type DataGcOptions,
  type DataGcReport,
  type DataHistoryJobOptions,
} from './data-history-jobs.js';
export {
  reproJob,
  dagJob,
  loadWorkspacePipeline,
  stepCommand,
  stageEnv,
  type ReproJobOptions,
} from './pipeline-jobs.js';
export {
  paramsDiffJob,
  metricsShowJob,
  metricsDiffJob,
  plotsDiffJob,
  type CompareJobOptions,
  type RevisionPairOptions,
} from './pipeline-compare-jobs.js';
export {
  initExample,
  initWorkspace,
  EXAMPLES,
  type InitExampleOptions,
  type InitExampleReport,
} from './init-example.js';
export { runStep, listSteps, type RunStepJob, type StepInfo } from './pipeline-steps/step-jobs.js';
export { openBlobStore } from './open-blob-store.js';
export {
  deployDockerJob,
  deployK8sJob,
  dockerfile,
  k8sManifests,
  type DeployDockerJob,
  type DeployDockerReport,
  type DeployK8sJob,
  type DeployK8sReport,
  type DockerfileOptions,
  type K8sManifests,
  type K8sOptions,
} from './deploy/index.js';
export * from './models/index.js';
export {
  promote,
  formatPromotion,
  workspaceGateConfig,
  type ChampionReport,
  type PromoteOptions,
  type PromotionResult,
} from './promotion/index.js';
export {
  serveModel,
  loadServedModel,
  type ServeModelOptions,
  type ServingHandle,
} from './serving/index.js';
export * from './monitoring/index.js';
