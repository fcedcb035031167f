import type { RegistryStore } from '../../registry/index.js';
import type { TrackingClient } from '../../tracking/index.js';

/** What model operations need: runs, bytes and lineage (the client) beside the registry. */
export interface ModelsContext {
  readonly client: TrackingClient;
  readonly registry: RegistryStore;
  /** Relative data paths recorded on runs resolve against this, then the workspace root. */
  readonly cwd?: string;
}
