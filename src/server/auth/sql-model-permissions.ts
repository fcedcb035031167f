import { MlopsError } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import { parsePermission, type Permission } from './permissions.js';

/** A user's grant on one registered model, as MLflow's auth routes return it. */
export interface ModelGrant {
  readonly name: string;
  readonly username: string;
  readonly permission: Permission;
}

/**
 * Per-registered-model permissions of `mlops server --auth` (table of migration 0004). Renaming
 * or deleting a model moves or drops its rows in the registry store's own transaction, so a
 * re-created name never inherits old grants.
 */
export class SqlModelPermissions {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  /** Gives `username` `permission` on the model, replacing what it had there. */
  async grant(name: string, username: string, permission: Permission): Promise<ModelGrant> {
    await this.database.write(async (trx) => {
      const user = await trx
        .selectFrom('users')
        .select('username')
        .where('username', '=', username)
        .executeTakeFirst();
      if (!user) {
        throw new MlopsError(
          'RESOURCE_DOES_NOT_EXIST',
          `User '${username}' not found. List users with \`mlops users list\`.`,
        );
      }
      await trx
        .insertInto('registered_model_permissions')
        .values({ name, username, permission })
        .onConflict((oc) => oc.columns(['name', 'username']).doUpdateSet({ permission }))
        .execute();
    });
    return { name, username, permission };
  }

  /** Removes the user's grant, so the server's default permission applies again. */
  async revoke(name: string, username: string): Promise<void> {
    const result = await this.db
      .deleteFrom('registered_model_permissions')
      .where('name', '=', name)
      .where('username', '=', username)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw noGrant(name, username);
  }

  /** The user's grant on the model; undefined when there is none (the default applies). */
  async permissionOf(username: string, name: string): Promise<Permission | undefined> {
    const row = await this.db
      .selectFrom('registered_model_permissions')
      .select('permission')
      .where('name', '=', name)
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? parsePermission(row.permission) : undefined;
  }

  /** The grant, or RESOURCE_DOES_NOT_EXIST naming the user and model. */
  async get(name: string, username: string): Promise<ModelGrant> {
    const permission = await this.permissionOf(username, name);
    if (permission === undefined) throw noGrant(name, username);
    return { name, username, permission };
  }

  /** Every model grant of the user: model name -> permission. */
  async grantsOf(username: string): Promise<ReadonlyMap<string, Permission>> {
    const rows = await this.db
      .selectFrom('registered_model_permissions')
      .select(['name', 'permission'])
      .where('username', '=', username)
      .execute();
    return new Map(rows.map((r) => [r.name, parsePermission(r.permission)]));
  }
}

function noGrant(name: string, username: string): MlopsError {
  return new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `User '${username}' has no permission on registered model '${name}'.`,
  );
}
