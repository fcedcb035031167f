/** @module testing: conformance suites for each plug-in interface, and test helpers. */
export { trackingStoreSuite, type TrackingStoreFixture } from './tracking-store.suite.js';
export { expectCode } from './expect-code.js';
export { freshPostgresUrl, postgresUnavailable, PG_BASE_URL } from './postgres.js';
export { blobStoreSuite, type BlobStoreFixture } from './blob-store.suite.js';
