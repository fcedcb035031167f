/** @module lineage: typed edges between datasets, runs, artifacts, model versions, deployments. */
export {
  assertNodeRef,
  nodeKey,
  type KnownNodeType,
  type NodeRef,
  type NodeType,
} from './node-ref.js';
export { formatNodeUri, parseNodeUri } from './node-uri.js';
export { LineageRelations, type LineageRelation } from './lineage-relations.js';
export type {
  LineageDirection,
  LineageEdge,
  LineageEdgeInput,
  LineageGraph,
  LineageStore,
  NeighborhoodOptions,
} from './lineage-store.js';
export { MAX_LINEAGE_DEPTH, SqlLineageStore } from './sql-lineage-store.js';
export { renderLineage, type RenderLineageOptions } from './render-lineage.js';
