import { randomBytes } from 'node:crypto';
import { MlopsError, invalidParam, nowMs } from '../../core/index.js';
import { isUniqueViolation, type Database } from '../../storage/index.js';
import { CredentialCache } from './credential-cache.js';
import { checkNewPassword, hashPassword, verifyPassword } from './password.js';
import { parsePermission, permissionAllows, type Permission } from './permissions.js';
import type { Principal, User } from './principal.js';
import { TOKEN_PREFIX, newToken, tokenHash } from './tokens.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const EXPERIMENT_ID = /^\d+$/;

export interface SqlAuthStoreOptions {
  /** How long a successful password check is remembered; default 60 s, 0 turns caching off. */
  readonly credentialCacheMs?: number;
  /** Epoch milliseconds; tests move time forward. */
  readonly now?: () => number;
}

export interface CreateTokenOptions {
  /** A label to tell a user's tokens apart, e.g. `ci`. */
  readonly name?: string;
  /** Epoch milliseconds; none: the token never expires. */
  readonly expiresAt?: number;
}

/** What `ensureAdmin` found: a user it just created, or one that was already there. */
export interface EnsureAdminResult {
  readonly created: boolean;
  readonly user: User;
}

/**
 * Users, API tokens and per-experiment permissions of `mlops server --auth`, in the tracking
 * database (tables of migration 0002). Passwords are kept as scrypt hashes and tokens as sha256.
 */
export class SqlAuthStore {
  readonly #cache: CredentialCache;
  readonly #now: () => number;

  constructor(
    private readonly database: Database,
    options: SqlAuthStoreOptions = {},
  ) {
    this.#now = options.now ?? nowMs;
    this.#cache = new CredentialCache(options.credentialCacheMs ?? 60_000, this.#now);
  }

  private get db() {
    return this.database.db;
  }

  async createUser(
    username: string,
    password: string,
    options: { readonly admin?: boolean } = {},
  ): Promise<User> {
    validateUsername(username);
    const passwordHash = await hashPassword(password);
    const user: User = { username, isAdmin: options.admin === true, createdAt: this.#now() };
    const taken = () =>
      new MlopsError(
        'RESOURCE_ALREADY_EXISTS',
        `User '${username}' already exists; pick another name, or change its password instead.`,
      );
    await this.database
      .write(async (trx) => {
        const clash = await trx
          .selectFrom('users')
          .select('username')
          .where('username', '=', username)
          .executeTakeFirst();
        if (clash) throw taken();
        await trx
          .insertInto('users')
          .values({
            username,
            password_hash: passwordHash,
            is_admin: user.isAdmin ? 1 : 0,
            created_at: user.createdAt,
          })
          .execute();
      })
      .catch((err: unknown) => {
        // Two creators of one name at once: the loser hits the primary key.
        throw isUniqueViolation(err) ? taken() : err;
      });
    return user;
  }

  async setPassword(username: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    const result = await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('username', '=', username)
      .executeTakeFirst();
    this.#cache.forget(username);
    if (Number(result.numUpdatedRows) === 0) throw userNotFound(username);
  }

  async getUser(username: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select(['username', 'is_admin', 'created_at'])
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  async listUsers(): Promise<User[]> {
    const rows = await this.db
      .selectFrom('users')
      .select(['username', 'is_admin', 'created_at'])
      .orderBy('username')
      .execute();
    return rows.map(toUser);
  }

  /** Deletes the user with its tokens and permissions. */
  async deleteUser(username: string): Promise<void> {
    await this.database.write(async (trx) => {
      await trx.deleteFrom('api_tokens').where('username', '=', username).execute();
      await trx.deleteFrom('experiment_permissions').where('username', '=', username).execute();
      await trx
        .deleteFrom('registered_model_permissions')
        .where('username', '=', username)
        .execute();
      const result = await trx
        .deleteFrom('users')
        .where('username', '=', username)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw userNotFound(username);
    });
    this.#cache.forget(username);
  }

  /**
   * The user when `password` is theirs, else undefined. Successes are cached for
   * `credentialCacheMs`; a password change or deletion in this process ends that at once, one in
   * another process (a CLI, a second server) within the cache time.
   */
  async verifyPassword(username: string, password: string): Promise<Principal | undefined> {
    const cached = this.#cache.get(username, password);
    if (cached) return cached;
    if (!USERNAME.test(username)) return undefined;
    const row = await this.db
      .selectFrom('users')
      .select(['username', 'is_admin', 'password_hash'])
      .where('username', '=', username)
      .executeTakeFirst();
    // Hash against a dummy when the user is missing, so the answer takes as long either way and
    // its timing does not tell who has an account.
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
    if (!row || !ok) return undefined;
    const principal: Principal = { username: row.username, isAdmin: Number(row.is_admin) === 1 };
    this.#cache.set(username, password, principal);
    return principal;
  }

  /** A new API token for `username`. The plaintext is returned only here; only its hash is kept. */
  async createToken(username: string, options: CreateTokenOptions = {}): Promise<string> {
    const now = this.#now();
    const { expiresAt } = options;
    if (expiresAt !== undefined && !(Number.isSafeInteger(expiresAt) && expiresAt > now)) {
      throw invalidParam(
        `Token expiry must be a future time in epoch milliseconds, got ${expiresAt}.`,
      );
    }
    const token = newToken();
    await this.database.write(async (trx) => {
      await requireUser(trx, username);
      await trx
        .insertInto('api_tokens')
        .values({
          token_hash: tokenHash(token),
          username,
          name: options.name ?? '',
          created_at: now,
          expires_at: expiresAt ?? null,
        })
        .execute();
    });
    return token;
  }

  /** The token's user, or undefined when the token is unknown, revoked or expired. */
  async verifyToken(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.username', 'api_tokens.username')
      .select(['users.username', 'users.is_admin', 'api_tokens.expires_at'])
      .where('api_tokens.token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.expires_at !== null && Number(row.expires_at) <= this.#now()) return undefined;
    return { username: row.username, isAdmin: Number(row.is_admin) === 1 };
  }

  /** Revokes a token given its plaintext; false when it was not known. */
  async revokeToken(token: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('api_tokens')
      .where('token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Gives `username` `permission` on the experiment, replacing what it had there. */
  async grant(experimentId: string, username: string, permission: Permission): Promise<void> {
    validateExperimentId(experimentId);
    await this.database.write(async (trx) => {
      await requireUser(trx, username);
      await trx
        .insertInto('experiment_permissions')
        .values({ experiment_id: experimentId, username, permission })
        .onConflict((oc) => oc.columns(['experiment_id', 'username']).doUpdateSet({ permission }))
        .execute();
    });
  }

  /** Removes the user's grant on the experiment, so the server's default permission applies. */
  async revoke(experimentId: string, username: string): Promise<void> {
    const result = await this.db
      .deleteFrom('experiment_permissions')
      .where('experiment_id', '=', experimentId)
      .where('username', '=', username)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `User '${username}' has no permission on experiment ${experimentId} to revoke.`,
      );
    }
  }

  /** The user's grant on the experiment; undefined when there is none (the default applies). */
  async permissionOf(username: string, experimentId: string): Promise<Permission | undefined> {
    const row = await this.db
      .selectFrom('experiment_permissions')
      .select('permission')
      .where('experiment_id', '=', experimentId)
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? parsePermission(row.permission) : undefined;
  }

  /** Every grant of the user: experiment id -> permission. */
  async grantsOf(username: string): Promise<ReadonlyMap<string, Permission>> {
    const rows = await this.db
      .selectFrom('experiment_permissions')
      .select(['experiment_id', 'permission'])
      .where('username', '=', username)
      .execute();
    return new Map(rows.map((r) => [r.experiment_id, parsePermission(r.permission)]));
  }

  /**
   * Experiments the user's own grants let it read. This ignores the server's default permission;
   * to filter a listing use `readableScope` with `grantsOf`, which honours both.
   */
  async readableExperimentIds(username: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const [id, permission] of await this.grantsOf(username)) {
      if (permissionAllows(permission, 'READ')) ids.add(id);
    }
    return ids;
  }

  /**
   * Creates admin `username` with `password` when no such user exists. An existing user is left
   * as it is: its password may have been changed since, and resetting it on every server start
   * would undo that. There is no built-in default password (MLflow's `password1234` is the
   * anti-pattern), so an empty or short one is refused.
   */
  async ensureAdmin(password: string, username = 'admin'): Promise<EnsureAdminResult> {
    validateUsername(username);
    checkNewPassword(password);
    const existing = await this.getUser(username);
    if (existing) return { created: false, user: existing };
    try {
      return { created: true, user: await this.createUser(username, password, { admin: true }) };
    } catch (err) {
      // Another server process started at the same moment and created it first.
      const raced = MlopsError.is(err) && err.code === 'RESOURCE_ALREADY_EXISTS';
      const user = raced ? await this.getUser(username) : undefined;
      if (!user) throw err;
      return { created: false, user };
    }
  }
}

function validateUsername(username: string): void {
  if (!USERNAME.test(username)) {
    throw invalidParam(
      `Invalid username '${username}': use 1 to 64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit.`,
    );
  }
}

function validateExperimentId(experimentId: string): void {
  if (!EXPERIMENT_ID.test(experimentId)) {
    throw invalidParam(`Experiment id must be digits, got '${experimentId}'.`);
  }
}

function userNotFound(username: string): MlopsError {
  return new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `User '${username}' not found. List users with \`mlops users list\`.`,
  );
}

async function requireUser(trx: Database['db'], username: string): Promise<void> {
  const row = await trx
    .selectFrom('users')
    .select('username')
    .where('username', '=', username)
    .executeTakeFirst();
  if (!row) throw userNotFound(username);
}

function toUser(row: { username: string; is_admin: number; created_at: number }): User {
  return {
    username: row.username,
    isAdmin: Number(row.is_admin) === 1,
    createdAt: Number(row.created_at),
  };
}

let dummy: Promise<string> | undefined;

/** A real hash of a random password, made once, to verify against when a user is missing. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
