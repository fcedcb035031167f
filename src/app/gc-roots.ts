import { GcRootRegistry } from '../blobs/index.js';
import type { TrackingClient } from '../tracking/index.js';

/**
 * Every capability's byte store roots, through the one registration hook. Later capabilities
 * (data pointers, stage outputs, model packages) register theirs here too.
 */
export function gcRoots(client: TrackingClient): GcRootRegistry {
  const registry = new GcRootRegistry();
  registry.register('tracking: run artifacts', () => client.store.artifactManifestIds());
  return registry;
}
