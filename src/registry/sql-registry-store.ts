import { MlopsError, invalidParam, nowMs } from '../core/index.js';
import type { Kysely } from 'kysely';
import type { Database, Schema } from '../storage/index.js';
import { isUniqueViolation } from '../storage/index.js';
import type { KeyValue, Page } from '../tracking/index.js';
import type { ModelVersion, RegisteredModel } from './entities.js';
import { likeToRegExp, parseRegistryFilter } from './filter.js';
import { decodeOffsetToken, encodeOffsetToken } from '../tracking/index.js';
import type {
  CreateModelVersionInput,
  CreateRegisteredModelInput,
  RegistryStore,
  SearchModelVersionsInput,
  SearchRegisteredModelsInput,
} from './registry-store.js';
import { insertModelVersion, loadVersions } from './sql-model-version-rows.js';
import {
  insertRegisteredModel,
  loadModels,
  parseModelOrder,
  renameModelRows,
  sortModelRows,
} from './sql-registered-model-rows.js';
import { requireModel, requireVersion } from './sql-registry-guards.js';
import {
  RegistryLimits,
  aliasNotFound,
  checkMaxResults,
  modelExists,
  modelNotFound,
  validateAlias,
  validateDescription,
  validateModelName,
  validateSource,
  validateTag,
  versionNotFound,
  versionNumber,
} from './validation.js';

type Db = Kysely<Schema>;

/** The model registry over SQL: one implementation for SQLite and PostgreSQL (Kysely). */
export class SqlRegistryStore implements RegistryStore {
  constructor(private readonly database: Database) {}

  private get db(): Db {
    return this.database.db;
  }

  async createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    validateModelName(input.name);
    validateDescription(input.description);
    const tags = dedupeTags(input.tags ?? []);
    for (const t of tags) validateTag('Registered model', t.key, t.value);
    await this.database
      .write((trx) => insertRegisteredModel(trx, input, tags))
      .catch((err: unknown) => {
        // Two creators of one name at once: the loser hits the primary key.
        if (isUniqueViolation(err)) throw modelExists(input.name);
        throw err;
      });
    return this.getRegisteredModel(input.name);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    validateModelName(name);
    const [model] = await loadModels(this.db, [name]);
    if (!model) throw modelNotFound(name);
    return model;
  }

  async searchRegisteredModels(
    input: SearchRegisteredModelsInput = {},
  ): Promise<Page<RegisteredModel>> {
    const maxResults = checkMaxResults(
      input.maxResults,
      RegistryLimits.searchModelsDefault,
      RegistryLimits.searchModelsMax,
    );
    const clauses = parseRegistryFilter(
      input.filter,
      { name: ['=', 'LIKE', 'ILIKE'] },
      'registered models',
    );
    const order = parseModelOrder(input.orderBy ?? []);
    const offset = decodeOffsetToken(input.pageToken);
    let query = this.db
      .selectFrom('registered_models')
      .select(['name', 'creation_timestamp', 'last_updated_timestamp']);
    for (const c of clauses) if (c.op === '=') query = query.where('name', '=', c.value);
    // LIKE and ILIKE run here, not in SQL: SQLite's LIKE ignores ASCII case and PostgreSQL's
    // does not, so matching in one place keeps both databases answering alike.
    const patterns = clauses
      .filter((c) => c.op !== '=')
      .map((c) => likeToRegExp(c.value, c.op === 'ILIKE'));
    const rows = (await query.execute()).filter((r) => patterns.every((p) => p.test(r.name)));
    sortModelRows(rows, order);
    const pageRows = rows.slice(offset, offset + maxResults);
    const byName = new Map(
      (
        await loadModels(
          this.db,
          pageRows.map((r) => r.name),
        )
      ).map((m) => [m.name, m]),
    );
    const items = pageRows.flatMap((r) => byName.get(r.name) ?? []);
    return offset + maxResults < rows.length
      ? { items, nextPageToken: encodeOffsetToken(offset + maxResults) }
      : { items };
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    validateModelName(name);
    validateModelName(newName, 'new_name');
    if (newName !== name) {
      await this.database
        .write(async (trx) => {
          await requireModel(trx, name);
          await renameModelRows(trx, name, newName);
        })
        .catch((err: unknown) => {
          if (isUniqueViolation(err)) throw modelExists(newName);
          throw err;
        });
    }
    return this.getRegisteredModel(newName);
  }

  async updateRegisteredModel(
    name: string,
    input: { readonly description?: string },
  ): Promise<RegisteredModel> {
    validateModelName(name);
    validateDescription(input.description);
    await this.database.write(async (trx) => {
      await requireModel(trx, name);
      if (input.description !== undefined) {
        await trx
          .updateTable('registered_models')
          .set({ description: input.description, last_updated_timestamp: nowMs() })
          .where('name', '=', name)
          .execute();
      }
    });
    return this.getRegisteredModel(name);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    validateModelName(name);
    await this.database.write(async (trx) => {
      await requireModel(trx, name);
      for (const table of [
        'registered_model_aliases',
        'model_version_tags',
        'model_versions',
        'registered_model_tags',
        // A model created later under this name must not inherit these grants.
        'registered_model_permissions',
        'registered_models',
      ] as const) {
        await trx.deleteFrom(table).where('name', '=', name).execute();
      }
    });
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    validateModelName(name);
    validateTag('Registered model', key, value);
    await this.database.write(async (trx) => {
      await requireModel(trx, name);
      await trx
        .insertInto('registered_model_tags')
        .values({ name, key, value })
        .onConflict((oc) => oc.columns(['name', 'key']).doUpdateSet({ value }))
        .execute();
    });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    validateModelName(name);
    validateTag('Registered model', key);
    await this.database.write(async (trx) => {
      await requireModel(trx, name);
      const result = await trx
        .deleteFrom('registered_model_tags')
        .where('name', '=', name)
        .where('key', '=', key)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) {
        throw new MlopsError(
          'RESOURCE_DOES_NOT_EXIST',
          `Registered model '${name}' has no tag '${key}'.`,
        );
      }
    });
  }

  async createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    validateModelName(input.name);
    validateSource(input.source);
    validateDescription(input.description);
    if (input.runId !== undefined && (typeof input.runId !== 'string' || input.runId === '')) {
      throw invalidParam('Invalid run_id: expected a non-empty string.', { field: 'run_id' });
    }
    if (input.packageHash !== undefined && typeof input.packageHash !== 'string') {
      throw invalidParam('Invalid package hash: expected a string.', { field: 'package_hash' });
    }
    const tags = dedupeTags(input.tags ?? []);
    for (const t of tags) validateTag('Model version', t.key, t.value);
    const version = await this.database.write((trx) => insertModelVersion(trx, input, tags));
    return this.getModelVersion(input.name, String(version));
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    validateModelName(name);
    const v = versionNumber(version);
    const rows = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('name', '=', name)
      .where('version', '=', v)
      .execute();
    const [found] = await loadVersions(this.db, rows);
    if (!found) throw versionNotFound(name, version);
    return found;
  }

  async searchModelVersions(input: SearchModelVersionsInput = {}): Promise<Page<ModelVersion>> {
    const maxResults = checkMaxResults(
      input.maxResults,
      RegistryLimits.searchVersionsDefault,
      RegistryLimits.searchVersionsMax,
    );
    const clauses = parseRegistryFilter(
      input.filter,
      { name: ['='], run_id: ['='] },
      'model versions',
    );
    const offset = decodeOffsetToken(input.pageToken);
    let query = this.db.selectFrom('model_versions').selectAll();
    for (const c of clauses) {
      query = query.where(c.attribute === 'name' ? 'name' : 'run_id', '=', c.value);
    }
    const rows = await query
      .orderBy('name')
      .orderBy('version', 'desc')
      .limit(maxResults + 1)
      .offset(offset)
      .execute();
    const items = await loadVersions(this.db, rows.slice(0, maxResults));
    return rows.length > maxResults
      ? { items, nextPageToken: encodeOffsetToken(offset + maxResults) }
      : { items };
  }

  async updateModelVersion(
    name: string,
    version: string,
    input: { readonly description?: string },
  ): Promise<ModelVersion> {
    validateDescription(input.description);
    await this.changeVersion(
      name,
      version,
      input.description === undefined ? undefined : { description: input.description },
    );
    return this.getModelVersion(name, version);
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    validateModelName(name);
    const v = versionNumber(version);
    await this.database.write(async (trx) => {
      await requireVersion(trx, name, v);
      for (const table of [
        'registered_model_aliases',
        'model_version_tags',
        'model_versions',
      ] as const) {
        await trx.deleteFrom(table).where('name', '=', name).where('version', '=', v).execute();
      }
      await trx
        .updateTable('registered_models')
        .set({ last_updated_timestamp: nowMs() })
        .where('name', '=', name)
        .execute();
    });
  }

  async setModelVersionTag(
    name: string,
    version: string,
    key: string,
    value: string,
  ): Promise<void> {
    validateModelName(name);
    const v = versionNumber(version);
    validateTag('Model version', key, value);
    await this.database.write(async (trx) => {
      await requireVersion(trx, name, v);
      await trx
        .insertInto('model_version_tags')
        .values({ name, version: v, key, value })
        .onConflict((oc) => oc.columns(['name', 'version', 'key']).doUpdateSet({ value }))
        .execute();
    });
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    validateModelName(name);
    const v = versionNumber(version);
    validateTag('Model version', key);
    await this.database.write(async (trx) => {
      await requireVersion(trx, name, v);
      const result = await trx
        .deleteFrom('model_version_tags')
        .where('name', '=', name)
        .where('version', '=', v)
        .where('key', '=', key)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) {
        throw new MlopsError(
          'RESOURCE_DOES_NOT_EXIST',
          `Model version '${name}' version ${v} has no tag '${key}'.`,
        );
      }
    });
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    validateModelName(name);
    validateAlias(alias);
    const v = versionNumber(version);
    await this.database.write(async (trx) => {
      await requireVersion(trx, name, v);
      await trx
        .insertInto('registered_model_aliases')
        .values({ name, alias, version: v })
        .onConflict((oc) => oc.columns(['name', 'alias']).doUpdateSet({ version: v }))
        .execute();
    });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    validateModelName(name);
    validateAlias(alias);
    await this.database.write(async (trx) => {
      await requireModel(trx, name);
      const result = await trx
        .deleteFrom('registered_model_aliases')
        .where('name', '=', name)
        .where('alias', '=', alias)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw aliasNotFound(name, alias);
    });
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateModelName(name);
    validateAlias(alias);
    await requireModel(this.db, name);
    const row = await this.db
      .selectFrom('registered_model_aliases')
      .select('version')
      .where('name', '=', name)
      .where('alias', '=', alias)
      .executeTakeFirst();
    if (!row) throw aliasNotFound(name, alias);
    return this.getModelVersion(name, String(row.version));
  }

  async getLatestVersions(name: string): Promise<readonly ModelVersion[]> {
    validateModelName(name);
    await requireModel(this.db, name);
    const rows = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('name', '=', name)
      .where('archived', '=', 0)
      .orderBy('version', 'desc')
      .limit(1)
      .execute();
    return loadVersions(this.db, rows);
  }

  async archiveModelVersion(name: string, version: string): Promise<ModelVersion> {
    await this.changeVersion(name, version, { archived: 1 });
    return this.getModelVersion(name, version);
  }

  async restoreModelVersion(name: string, version: string): Promise<ModelVersion> {
    await this.changeVersion(name, version, { archived: 0 });
    return this.getModelVersion(name, version);
  }

  async close(): Promise<void> {
    await this.database.close();
  }

  /** Applies `changes` (if any) to one version, bumping its last-updated time. */
  private async changeVersion(
    name: string,
    version: string,
    changes: { description?: string; archived?: number } | undefined,
  ): Promise<void> {
    validateModelName(name);
    const v = versionNumber(version);
    await this.database.write(async (trx) => {
      await requireVersion(trx, name, v);
      if (changes === undefined) return;
      await trx
        .updateTable('model_versions')
        .set({ ...changes, last_updated_timestamp: nowMs() })
        .where('name', '=', name)
        .where('version', '=', v)
        .execute();
    });
  }
}

/** Last value wins for a key given twice. */
function dedupeTags(tags: readonly KeyValue[]): KeyValue[] {
  return [...new Map(tags.map((t) => [t.key, t])).values()];
}
