import { nodeKey, type NodeRef } from './node-ref.js';
import { formatNodeUri } from './node-uri.js';
import type { LineageEdge, LineageGraph } from './lineage-store.js';

export interface RenderLineageOptions {
  /** Print 64-hex hashes whole; by default they are cut to 8 characters, as git does. */
  readonly fullHashes?: boolean;
}

/**
 * A text tree for `mlops lineage`: the node, then what it came from (upstream) and what came of
 * it (downstream), one edge per line, indented by distance. A node reached twice is expanded
 * once and marked `(see above)` after that, so cycles and diamonds print finitely.
 *
 * @example
 * runs:/4f2a...
 * upstream:
 *   data:/data/prices.csv@ab12cd34 --input--> runs:/4f2a...
 * downstream:
 *   runs:/4f2a... --registered_as--> models:/goog-lstm/3
 *     models:/goog-lstm/3 --deployed_as--> deployment:prod
 */
export function renderLineage(
  graph: LineageGraph,
  root: NodeRef,
  options: RenderLineageOptions = {},
): string {
  const show = (node: NodeRef) => {
    const uri = formatNodeUri(node);
    return options.fullHashes ? uri : uri.replace(/[0-9a-f]{64}/g, (h) => h.slice(0, 8));
  };
  const incoming = groupBy(graph.edges, (e) => nodeKey(e.dst));
  const outgoing = groupBy(graph.edges, (e) => nodeKey(e.src));
  const lines = [show(root)];
  for (const way of ['up', 'down'] as const) {
    lines.push(way === 'up' ? 'upstream:' : 'downstream:');
    const before = lines.length;
    const expanded = new Set([nodeKey(root)]);
    const visit = (node: NodeRef, indent: string): void => {
      const edges = (way === 'up' ? incoming : outgoing).get(nodeKey(node)) ?? [];
      for (const edge of edges) {
        const next = way === 'up' ? edge.src : edge.dst;
        const key = nodeKey(next);
        const seen = expanded.has(key);
        const line = `${indent}${show(edge.src)} --${edge.relation}--> ${show(edge.dst)}`;
        lines.push(seen ? `${line} (see above)` : line);
        if (!seen) {
          expanded.add(key);
          visit(next, `${indent}  `);
        }
      }
    };
    visit(root, '  ');
    if (lines.length === before) lines.push('  (none)');
  }
  return lines.join('\n');
}

function groupBy(edges: readonly LineageEdge[], key: (e: LineageEdge) => string) {
  const map = new Map<string, LineageEdge[]>();
  for (const edge of edges) {
    const k = key(edge);
    const list = map.get(k);
    if (list) list.push(edge);
    else map.set(k, [edge]);
  }
  return map;
}
