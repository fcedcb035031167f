import { parseNodeUri, renderLineage, type LineageGraph } from '../lineage/index.js';
import type { TrackingClient } from '../tracking/index.js';
import { openRegistry } from './connect.js';
import { resolveModelUri } from './models/index.js';

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
  const root = parseNodeUri(await versionUri(client, uri));
  if (root.type === 'run') await client.getRun(root.id); // unknown run: a clear error, not an empty graph
  const graph = await client.lineage.neighborhood(root, { depth });
  return { graph, text: renderLineage(graph, root) };
}

/**
 * `models:/name@alias` and `models:/name/latest` name a version through the registry; the graph
 * is keyed by `models:/name/<version>`, so those resolve first (unknown names say what exists).
 */
async function versionUri(client: TrackingClient, uri: string): Promise<string> {
  if (!/^models:\/.*(@[^/]+|\/latest)$/.test(uri)) return uri;
  const version = await resolveModelUri(await openRegistry(client), uri);
  return `models:/${version.name}/${version.version}`;
}
