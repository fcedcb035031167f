import { MlopsError, invalidParam, nowMs } from '../../core/index.js';
import { openDatabase, type Database } from '../../storage/index.js';
import { parsePermission, type Permission } from './permissions.js';
import type { User } from './principal.js';
import { SqlAuthStore } from './sql-auth-store.js';

/** What `mlops users token` hands back: the token (shown once) and when it stops working. */
export interface IssuedToken {
  readonly token: string;
  readonly username: string;
  readonly name: string;
  /** Epoch milliseconds; null: never. */
  readonly expiresAt: number | null;
}

export interface Granted {
  readonly username: string;
  readonly experimentId: string;
  readonly experimentName: string;
  readonly permission: Permission;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `mlops users create`: adds a user to the database at `uri`. */
export async function createUserAt(
  uri: string,
  username: string,
  password: string,
  options: { readonly admin?: boolean } = {},
): Promise<User> {
  return withAuthStore(uri, (store) => store.createUser(username, password, options));
}

/** `mlops users token`: a new API token for an existing user. */
export async function createTokenAt(
  uri: string,
  username: string,
  options: { readonly name?: string; readonly expiresDays?: number } = {},
): Promise<IssuedToken> {
  const { expiresDays } = options;
  if (expiresDays !== undefined && !(Number.isFinite(expiresDays) && expiresDays > 0)) {
    throw invalidParam(`Token lifetime must be a positive number of days, got ${expiresDays}.`);
  }
  const expiresAt = expiresDays === undefined ? null : Math.round(nowMs() + expiresDays * DAY_MS);
  const name = options.name ?? '';
  const token = await withAuthStore(uri, (store) =>
    store.createToken(username, { name, ...(expiresAt === null ? {} : { expiresAt }) }),
  );
  return { token, username, name, expiresAt };
}

/**
 * `mlops users grant`: gives a user a permission on an experiment named by id or by name (an
 * all-digit word is tried as an id first).
 */
export async function grantAt(
  uri: string,
  username: string,
  experimentIdOrName: string,
  permission: string,
): Promise<Granted> {
  const level = parsePermission(permission);
  return withAuthStore(uri, async (store, database) => {
    const experiment = await findExperiment(database, experimentIdOrName);
    await store.grant(experiment.id, username, level);
    return {
      username,
      experimentId: experiment.id,
      experimentName: experiment.name,
      permission: level,
    };
  });
}

/** `mlops users list`: every user, by name. */
export async function listUsersAt(uri: string): Promise<User[]> {
  return withAuthStore(uri, (store) => store.listUsers());
}

async function withAuthStore<T>(
  uri: string,
  fn: (store: SqlAuthStore, database: Database) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(uri);
  try {
    return await fn(new SqlAuthStore(database), database);
  } finally {
    await database.close();
  }
}

async function findExperiment(
  database: Database,
  ref: string,
): Promise<{ id: string; name: string }> {
  const query = database.db.selectFrom('experiments').select(['experiment_id', 'name']);
  const row =
    (/^\d+$/.test(ref) && Number.isSafeInteger(Number(ref))
      ? await query.where('experiment_id', '=', Number(ref)).executeTakeFirst()
      : undefined) ?? (await query.where('name', '=', ref).executeTakeFirst());
  if (!row) {
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `No experiment with id or name '${ref}'. List experiments with \`mlops experiments list\`.`,
    );
  }
  return { id: String(row.experiment_id), name: row.name };
}
