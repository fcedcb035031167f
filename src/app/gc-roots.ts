import { GcRootRegistry } from '../blobs/index.js';
import type { TrackingClient } from '../tracking/index.js';
import { findWorkspace } from './workspace.js';

export interface GcRootsOptions {
  /** The workspace whose working-tree pointers are roots; default: the one holding cwd. */
  readonly workspaceRoot?: string;
}

/**
 * Every capability's byte store roots, through the one registration hook. Later capabilities
 * (stage outputs, model packages, data pointers at listed git revisions) register theirs here too.
 */
export function gcRoots(client: TrackingClient, options: GcRootsOptions = {}): GcRootRegistry {
  const registry = new GcRootRegistry();
  registry.register('tracking: run artifacts', () => client.store.artifactManifestIds());
  const root = options.workspaceRoot ?? findWorkspace().root;
  registry.register('data: pointers in the working tree', async () => {
    const { dataPointerRoots } = await import('../data/index.js');
    return dataPointerRoots(root, client.blobs);
  });
  return registry;
}
