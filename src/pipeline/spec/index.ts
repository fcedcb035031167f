/** @module pipeline/spec: `mlops.yaml` read, templated, expanded and validated into a frozen model. */
export {
  PIPELINE_FILE,
  DEFAULT_PARAMS_FILE,
  type OutSpec,
  type ParamSpec,
  type PipelineSpec,
  type PlotOptions,
  type SourcePosition,
  type StageSpec,
  type TopPlotSpec,
} from './pipeline-spec.js';
export { parsePipeline, type PipelineInput } from './parse-pipeline.js';
export { loadPipeline, type LoadPipelineOptions } from './load-pipeline.js';
export type { StepLookup } from './build-stage.js';
export { STAGE_FIELDS } from './stage-schema.js';
export { TOP_LEVEL_KEYS } from './top-level.js';
export { diskProbe, POINTER_SUFFIX, type WorkspaceProbe } from './workspace-probe.js';
export { paramValue } from './params-files.js';
