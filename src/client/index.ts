/** @module client: the stores over HTTP, talking to an mlops (or MLflow) tracking server. */
import { HttpBlobStore } from './http-blob-store.js';
import { HttpLineageStore } from './http-lineage-store.js';
import { HttpRegistryStore } from './http-registry-store.js';
import { HttpTrackingStore } from './http-tracking-store.js';
import { transportFromEnv, type HttpTransport } from './http-transport.js';

export {
  HttpTransport,
  transportFromEnv,
  type HttpTransportOptions,
  type Query,
} from './http-transport.js';
export { HttpTrackingStore } from './http-tracking-store.js';
export { HttpBlobStore } from './http-blob-store.js';
export { HttpLineageStore } from './http-lineage-store.js';
export {
  HttpInferenceLogStore,
  type HttpInferenceLogStoreOptions,
} from './http-inference-log-store.js';
export { HttpRegistryStore } from './http-registry-store.js';

export interface HttpStores {
  readonly store: HttpTrackingStore;
  readonly blobs: HttpBlobStore;
  readonly lineage: HttpLineageStore;
  readonly registry: HttpRegistryStore;
  /** Shared by the four; `store.close()` closes it. */
  readonly transport: HttpTransport;
}

/**
 * The tracking, byte, lineage and registry stores of the server at `baseUrl`, over one transport
 * with credentials from the environment (see `transportFromEnv`).
 *
 * @example
 * const { store, blobs, lineage } = openHttpStores('http://127.0.0.1:5000');
 * const client = new TrackingClient(store, blobs, lineage);
 */
export function openHttpStores(
  baseUrl: string,
  options: Parameters<typeof transportFromEnv>[1] = {},
): HttpStores {
  const transport = transportFromEnv(baseUrl, options);
  return {
    store: new HttpTrackingStore(transport),
    blobs: new HttpBlobStore(transport),
    lineage: new HttpLineageStore(transport),
    registry: new HttpRegistryStore(transport),
    transport,
  };
}
