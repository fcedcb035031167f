import type { Page } from '../tracking/index.js';
import type {
  CreateModelVersionInput,
  CreateRegisteredModelInput,
  ModelVersion,
  RegisteredModel,
  RegistryStore,
  SearchModelVersionsInput,
  SearchRegisteredModelsInput,
} from '../registry/index.js';
import {
  modelVersionFromWire,
  registeredModelFromWire,
  type WireModelVersionIn,
  type WireRegisteredModelIn,
} from './http-registry-store-wire.js';
import type { HttpTransport } from './http-transport.js';
import { keyValuesToWire, pageFromWire } from './wire.js';

const MLFLOW = '/api/2.0/mlflow';
const MODELS = `${MLFLOW}/registered-models`;
const VERSIONS = `${MLFLOW}/model-versions`;

type ModelReply = { registered_model?: WireRegisteredModelIn };
type VersionReply = { model_version?: WireModelVersionIn };

/** Drops `undefined` fields, so that a body carries only what the caller set. */
function defined<T extends Record<string, unknown>>(body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The RegistryStore contract over MLflow's model-registry REST API (`/api/2.0/mlflow/registered-
 * models/...`, `/model-versions/...`), plus our `package_hash` on versions. Validation happens on
 * the server, so errors keep the codes and messages of the store behind it; the server also
 * checks that a version's source lies inside its artifact store. Archival is MLflow's stage
 * transition to 'Archived' (and back to 'None').
 *
 * @example
 * const registry = new HttpRegistryStore(transportFromEnv('http://127.0.0.1:5000'));
 * const v = await registry.getVersionByAlias('goog-lstm', 'champion');
 */
export class HttpRegistryStore implements RegistryStore {
  constructor(readonly transport: HttpTransport) {}

  async createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    const res = await this.transport.post<ModelReply>(
      `${MODELS}/create`,
      defined({
        name: input.name,
        description: input.description,
        tags: input.tags && keyValuesToWire(input.tags),
      }),
    );
    return registeredModelFromWire(res.registered_model);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const res = await this.transport.get<ModelReply>(`${MODELS}/get`, { name });
    return registeredModelFromWire(res.registered_model);
  }

  async searchRegisteredModels(
    input: SearchRegisteredModelsInput = {},
  ): Promise<Page<RegisteredModel>> {
    const res = await this.transport.get<{
      registered_models?: WireRegisteredModelIn[];
      next_page_token?: string;
    }>(`${MODELS}/search`, {
      filter: input.filter,
      max_results: input.maxResults,
      order_by: input.orderBy,
      page_token: input.pageToken,
    });
    return pageFromWire(res.registered_models, res.next_page_token, registeredModelFromWire);
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    const res = await this.transport.post<ModelReply>(`${MODELS}/rename`, {
      name,
      new_name: newName,
    });
    return registeredModelFromWire(res.registered_model);
  }

  async updateRegisteredModel(
    name: string,
    input: { readonly description?: string },
  ): Promise<RegisteredModel> {
    const res = await this.transport.patch<ModelReply>(
      `${MODELS}/update`,
      defined({ name, description: input.description }),
    );
    return registeredModelFromWire(res.registered_model);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.transport.delete(`${MODELS}/delete`, { name });
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.transport.post(`${MODELS}/set-tag`, { name, key, value });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.transport.delete(`${MODELS}/delete-tag`, { name, key });
  }

  async createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    const res = await this.transport.post<VersionReply>(
      `${VERSIONS}/create`,
      defined({
        name: input.name,
        source: input.source,
        run_id: input.runId,
        description: input.description,
        tags: input.tags && keyValuesToWire(input.tags),
        package_hash: input.packageHash,
      }),
    );
    return modelVersionFromWire(res.model_version);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const res = await this.transport.get<VersionReply>(`${VERSIONS}/get`, { name, version });
    return modelVersionFromWire(res.model_version);
  }

  async searchModelVersions(input: SearchModelVersionsInput = {}): Promise<Page<ModelVersion>> {
    const res = await this.transport.get<{
      model_versions?: WireModelVersionIn[];
      next_page_token?: string;
    }>(`${VERSIONS}/search`, {
      filter: input.filter,
      max_results: input.maxResults,
      page_token: input.pageToken,
    });
    return pageFromWire(res.model_versions, res.next_page_token, modelVersionFromWire);
  }

  async updateModelVersion(
    name: string,
    version: string,
    input: { readonly description?: string },
  ): Promise<ModelVersion> {
    const res = await this.transport.patch<VersionReply>(
      `${VERSIONS}/update`,
      defined({ name, version, description: input.description }),
    );
    return modelVersionFromWire(res.model_version);
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.transport.delete(`${VERSIONS}/delete`, { name, version });
  }

  async setModelVersionTag(
    name: string,
    version: string,
    key: string,
    value: string,
  ): Promise<void> {
    await this.transport.post(`${VERSIONS}/set-tag`, { name, version, key, value });
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    await this.transport.delete(`${VERSIONS}/delete-tag`, { name, version, key });
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.transport.post(`${MODELS}/alias`, { name, alias, version });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.transport.delete(`${MODELS}/alias`, { name, alias });
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const res = await this.transport.get<VersionReply>(`${MODELS}/alias`, { name, alias });
    return modelVersionFromWire(res.model_version);
  }

  async getLatestVersions(name: string): Promise<readonly ModelVersion[]> {
    // Stage 'None': the latest version that is not archived (what the interface promises).
    const res = await this.transport.post<{ model_versions?: WireModelVersionIn[] }>(
      `${MODELS}/get-latest-versions`,
      { name, stages: ['None'] },
    );
    return (res.model_versions ?? []).map(modelVersionFromWire);
  }

  archiveModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.transition(name, version, 'Archived');
  }

  restoreModelVersion(name: string, version: string): Promise<ModelVersion> {
    return this.transition(name, version, 'None');
  }

  /** Aborts requests in flight; the transport may be shared with the other HTTP stores. */
  async close(): Promise<void> {
    this.transport.close();
  }

  private async transition(name: string, version: string, stage: string): Promise<ModelVersion> {
    const res = await this.transport.post<VersionReply>(`${VERSIONS}/transition-stage`, {
      name,
      version,
      stage,
      archive_existing_versions: false,
    });
    return modelVersionFromWire(res.model_version);
  }
}
