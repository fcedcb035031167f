/** @module testing: conformance suites for each plug-in interface, and test helpers. */
export { trackingStoreSuite, type TrackingStoreFixture } from './tracking-store.suite.js';
export { registryStoreSuite, type RegistryStoreFixture } from './registry-store.suite.js';
export { expectCode } from './expect-code.js';
export { gitFixture, runGit, type GitFixture, type GitFixtureOptions } from './git-fixture.js';
export { freshPostgresUrl, postgresUnavailable, PG_BASE_URL } from './postgres.js';
export { dropRedisKeys, redisUnavailable, REDIS_TEST_URL } from './redis.js';
export { blobStoreSuite, type BlobStoreFixture } from './blob-store.suite.js';
export {
  S3RVER_CREDENTIALS,
  startS3Server,
  type S3Request,
  type S3TestServer,
} from './s3-server.js';
export { modelRunnerSuite, type ModelRunnerFixture } from './model-runner.suite.js';
export {
  inferenceLogStoreSuite,
  type InferenceLogStoreFixture,
} from './inference-log-store.suite.js';
