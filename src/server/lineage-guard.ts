import type { FastifyRequest } from 'fastify';
import type { LineageEdge, LineageEdgeInput, LineageGraph, NodeRef } from '../lineage/index.js';
import type { ServerContext } from './server-context.js';

/**
 * Lineage crosses experiments, so with auth on a user sees only edges whose run and experiment
 * ends they may READ, and records edges only for runs and experiments they may EDIT. Other node
 * kinds (datasets, artifacts by hash, model versions) carry no permission of their own.
 */
export class LineageGuard {
  constructor(private readonly ctx: ServerContext) {}

  async requireWrite(
    request: FastifyRequest,
    edges: readonly Pick<LineageEdgeInput, 'src' | 'dst'>[],
  ): Promise<void> {
    for (const edge of edges) {
      for (const node of [edge.src, edge.dst]) {
        if (node.type === 'run') await this.ctx.access.requireRun(request, node.id, 'EDIT');
        if (node.type === 'experiment') {
          await this.ctx.access.requireExperiment(request, node.id, 'EDIT');
        }
      }
    }
  }

  async visibleEdges(
    request: FastifyRequest,
    edges: readonly LineageEdge[],
  ): Promise<LineageEdge[]> {
    if (this.ctx.access.unrestricted(request)) return [...edges];
    const readable = new Map<string, boolean>();
    const mayRead = async (node: NodeRef): Promise<boolean> => {
      if (node.type !== 'run' && node.type !== 'experiment') return true;
      const key = `${node.type}:${node.id}`;
      let ok = readable.get(key);
      if (ok === undefined) {
        ok = await this.readableNode(request, node);
        readable.set(key, ok);
      }
      return ok;
    };
    const out: LineageEdge[] = [];
    for (const edge of edges)
      if ((await mayRead(edge.src)) && (await mayRead(edge.dst))) out.push(edge);
    return out;
  }

  async visibleGraph(request: FastifyRequest, graph: LineageGraph): Promise<LineageGraph> {
    if (this.ctx.access.unrestricted(request)) return graph;
    const edges = await this.visibleEdges(request, graph.edges);
    const key = (n: NodeRef) => `${n.type}\u0000${n.id}`;
    const reached = new Set(edges.flatMap((e) => [key(e.src), key(e.dst)]));
    const [start] = graph.nodes;
    const nodes = graph.nodes.filter((n) => n === start || reached.has(key(n)));
    return { nodes, edges };
  }

  /** Whether the user may see this node (runs and experiments need READ; others are open). */
  async readable(request: FastifyRequest, node: NodeRef): Promise<boolean> {
    if (this.ctx.access.unrestricted(request)) return true;
    if (node.type !== 'run' && node.type !== 'experiment') return true;
    return this.readableNode(request, node);
  }

  private async readableNode(request: FastifyRequest, node: NodeRef): Promise<boolean> {
    try {
      const experimentId =
        node.type === 'run' ? (await this.ctx.store.getRun(node.id)).info.experimentId : node.id;
      return await this.ctx.access.allows(request, experimentId, 'READ');
    } catch {
      return false;
    }
  }
}
