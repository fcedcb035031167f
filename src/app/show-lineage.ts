import { parseNodeUri, renderLineage, type LineageGraph } from '../lineage/index.js';
import type { TrackingClient } from '../tracking/index.js';

export interface LineageView {
  readonly graph: LineageGraph;
  readonly text: string;
}

/** The graph around `uri` (`runs:/id`, `models:/name/v`, `data:/path@hash`, ...) and its text form. */
export async function showLineage(
  client: TrackingClient,
  uri: string,
  depth = 3,
): Promise<LineageView> {
  const root = parseNodeUri(uri);
  if (root.type === 'run') await client.getRun(root.id); // unknown run: a clear error, not an empty graph
  const graph = await client.lineage.neighborhood(root, { depth });
  return { graph, text: renderLineage(graph, root) };
}
