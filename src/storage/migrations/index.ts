import type { Migration } from '../migration.js';
import { initial } from './0001-initial.js';
import { server } from './0002-server.js';
import { registry } from './0003-registry.js';
import { serving } from './0004-serving.js';
import { monitoring } from './0005-monitoring.js';

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [initial, server, registry, serving, monitoring];
