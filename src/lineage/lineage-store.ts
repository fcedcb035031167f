import type { NodeRef } from './node-ref.js';

/** An edge to record. Recording the same (src, dst, relation) again changes nothing. */
export interface LineageEdgeInput {
  readonly src: NodeRef;
  readonly dst: NodeRef;
  /** See `LineageRelations` for the shared names; any non-empty string is allowed. */
  readonly relation: string;
  /** JSON-serialisable details (an artifact's path, a dataset's role); kept from the first record. */
  readonly attrs?: Readonly<Record<string, unknown>>;
  /** Epoch ms; defaults to now. */
  readonly createdAt?: number;
}

/** A recorded edge. */
export interface LineageEdge {
  readonly src: NodeRef;
  readonly dst: NodeRef;
  readonly relation: string;
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

/** `up` follows edges against their direction (towards inputs), `down` along it. */
export type LineageDirection = 'up' | 'down' | 'both';

export interface NeighborhoodOptions {
  /** Hops from the node; default 3, 0 gives the node alone. */
  readonly depth?: number;
  /** Default `both`: ancestors and descendants (not siblings reached by turning around). */
  readonly direction?: LineageDirection;
}

/** A subgraph: the start node first, then nodes in breadth-first order; each edge once. */
export interface LineageGraph {
  readonly nodes: readonly NodeRef[];
  readonly edges: readonly LineageEdge[];
}

/**
 * Typed edges between datasets, runs, artifacts, model versions, deployments and snapshots.
 * Implementations: `SqlLineageStore` (SQLite, PostgreSQL), later one over HTTP.
 */
export interface LineageStore {
  /** Records edges in one transaction (all or none); idempotent per (src, dst, relation). */
  record(edges: readonly LineageEdgeInput[]): Promise<void>;
  /** Edges leaving `node` (its outputs). */
  edgesFrom(node: NodeRef): Promise<LineageEdge[]>;
  /** Edges entering `node` (its inputs). */
  edgesTo(node: NodeRef): Promise<LineageEdge[]>;
  /** Breadth-first subgraph around `node`, bounded by depth; cycles are safe. */
  neighborhood(node: NodeRef, options?: NeighborhoodOptions): Promise<LineageGraph>;
}
