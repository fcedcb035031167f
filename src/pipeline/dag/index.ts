/** @module pipeline/dag: the stage graph of a pipeline (order, neighbours, selection, display). */
export { buildDag, type Dag, type NeighbourOptions } from './build-dag.js';
export { stageLinks, type DagEdge } from './stage-links.js';
export { selectStages, type SelectOptions } from './select-stages.js';
export { dagLayers, renderDag } from './render-dag.js';
export { dagJson, type DagJson, type DagJsonStage } from './dag-json.js';
