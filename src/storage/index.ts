/** @module storage: the metadata database (SQLite or PostgreSQL through Kysely) and its schema. */
export { openDatabase, redact, type Database, type Dialect, type OpenOptions } from './database.js';
export { parseDatabaseUri, type DatabaseUri } from './database-uri.js';
export { LATEST_SCHEMA_VERSION, upgradeDatabase, type MigrateResult } from './migrator.js';
export type * from './schema.js';
export { isUniqueViolation } from './database-errors.js';
/** Moved to core (the CLI's error handler needs it without the database layer); kept here for callers. */
export { corruptDatabaseError } from '../core/index.js';
