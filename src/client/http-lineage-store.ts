import type {
  LineageEdge,
  LineageEdgeInput,
  LineageGraph,
  LineageStore,
  NeighborhoodOptions,
  NodeRef,
} from '../lineage/index.js';
import type { HttpTransport } from './http-transport.js';

const LINEAGE = '/api/mlops/lineage';

/**
 * The lineage graph of an mlops server, over `/api/mlops/lineage` (camelCase JSON, the entities
 * as they are). Nodes and edges are checked by the server, which answers with the same codes as
 * `SqlLineageStore`.
 */
export class HttpLineageStore implements LineageStore {
  constructor(readonly transport: HttpTransport) {}

  async record(edges: readonly LineageEdgeInput[]): Promise<void> {
    if (edges.length === 0) return;
    await this.transport.post(`${LINEAGE}/edges`, { edges });
  }

  edgesFrom(node: NodeRef): Promise<LineageEdge[]> {
    return this.edges(node, 'from');
  }

  edgesTo(node: NodeRef): Promise<LineageEdge[]> {
    return this.edges(node, 'to');
  }

  async neighborhood(node: NodeRef, options: NeighborhoodOptions = {}): Promise<LineageGraph> {
    const graph = await this.transport.get<Partial<LineageGraph>>(`${LINEAGE}/neighborhood`, {
      type: node.type,
      id: node.id,
      depth: options.depth,
      direction: options.direction,
    });
    return { nodes: graph.nodes ?? [], edges: graph.edges ?? [] };
  }

  private async edges(node: NodeRef, direction: 'from' | 'to'): Promise<LineageEdge[]> {
    const res = await this.transport.get<{ edges?: LineageEdge[] }>(`${LINEAGE}/edges`, {
      type: node.type,
      id: node.id,
      direction,
    });
    return res.edges ?? [];
  }
}
