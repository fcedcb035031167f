import { GcRootRegistry } from '../blobs/index.js';
import type { RegistryStore } from '../registry/index.js';
import type { TrackingClient } from '../tracking/index.js';
import { openRegistry } from './connect.js';
import { findWorkspace, workspacePaths } from './workspace.js';

export interface GcRootsOptions {
  /** The workspace whose working-tree pointers are roots; default: the one holding cwd. */
  readonly workspaceRoot?: string;
  /** Git revisions whose committed pointers are roots too (`mlops data gc --rev <rev>`). */
  readonly revs?: readonly string[];
  /** Every commit reachable from any ref is such a revision (`mlops data gc --all-commits`). */
  readonly allCommits?: boolean;
  /**
   * The registry whose model packages (and the dataset versions they name) are roots; default:
   * the one on the client's connection (`openRegistry`), for clients from `connect`.
   */
  readonly registry?: RegistryStore;
}

/**
 * Every capability's byte store roots, through the one registration hook: run artifacts, data
 * pointers in the working tree, pipeline stage outs (mlops.lock and the run-cache) and, when
 * asked, data pointers at git revisions, and model packages with the dataset versions they name.
 */
export function gcRoots(client: TrackingClient, options: GcRootsOptions = {}): GcRootRegistry {
  const registry = new GcRootRegistry();
  registry.register('tracking: run artifacts', () => client.store.artifactManifestIds());
  const root = options.workspaceRoot ?? findWorkspace().root;
  registry.register('data: pointers in the working tree', async () => {
    const { dataPointerRoots } = await import('../data/index.js');
    return dataPointerRoots(root, client.blobs);
  });
  registry.register('pipeline: mlops.lock outs and run-cache entries', async () => {
    const { pipelineRoots } = await import('../pipeline/index.js');
    return pipelineRoots(root, workspacePaths(root).stateDir, client.blobs);
  });
  registry.register('registry: model packages and their datasets', async () => {
    const models = options.registry ?? (await openRegistry(client).catch(() => undefined));
    if (!models) return [];
    const { modelPackageRoots } = await import('./models/package-roots.js');
    return modelPackageRoots(models, client.blobs);
  });
  const revs = options.revs ?? [];
  if (revs.length > 0 || options.allCommits === true) {
    registry.register('data: pointers at git revisions', async () => {
      const { dataRevisionRoots } = await import('../data/index.js');
      return dataRevisionRoots(root, client.blobs, {
        revs,
        ...(options.allCommits === undefined ? {} : { allCommits: options.allCommits }),
      });
    });
    registry.register('pipeline: mlops.lock outs at git revisions', async () => {
      const { pipelineRevisionRoots } = await import('../pipeline/index.js');
      return pipelineRevisionRoots(root, client.blobs, {
        revs,
        ...(options.allCommits === undefined ? {} : { allCommits: options.allCommits }),
      });
    });
  }
  return registry;
}
