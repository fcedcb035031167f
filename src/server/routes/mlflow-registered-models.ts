import { MlflowRegistry as R, modelVersionToWire, registeredModelToWire } from '../../api/index.js';
import { invalidParam } from '../../core/index.js';
import type { ModelVersion, RegistryStore } from '../../registry/index.js';
import { route, type JsonRoute } from '../mount-routes.js';
import type { ServerContext } from '../server-context.js';

/**
 * MLflow's registered-model RPCs (model_registry.proto): create, get, search, rename, update,
 * delete, tags, aliases and get-latest-versions. READ views a model, EDIT changes its description
 * and tags, MANAGE renames or deletes it and moves or deletes its aliases.
 */
export function registeredModelRoutes(ctx: ServerContext, registry: RegistryStore): JsonRoute[] {
  const { access } = ctx;
  return [
    route({
      method: 'POST',
      path: '/mlflow/registered-models/create',
      summary: 'Create a registered model (its creator manages it)',
      schema: R.CreateRegisteredModel,
      async handler(input, request) {
        access.requireUser(request);
        const model = await registry.createRegisteredModel({
          name: input.name,
          ...(input.description !== undefined ? { description: input.description } : {}),
          tags: input.tags ?? [],
        });
        await access.modelCreated(request, model.name);
        return { registered_model: registeredModelToWire(model) };
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/registered-models/get',
      summary: 'Get a registered model with its latest version, tags and aliases',
      schema: R.RegisteredModelOnly,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'READ');
        return {
          registered_model: registeredModelToWire(await registry.getRegisteredModel(input.name)),
        };
      },
    }),
    ...(['GET', 'POST'] as const).map((method) =>
      route({
        method,
        path: '/mlflow/registered-models/search',
        summary: 'Search registered models (name =, LIKE, ILIKE; order_by; pages)',
        schema: R.SearchRegisteredModels,
        async handler(input, request) {
          const page = await registry.searchRegisteredModels({
            ...(input.filter !== undefined ? { filter: input.filter } : {}),
            ...(input.order_by !== undefined ? { orderBy: input.order_by } : {}),
            ...(input.max_results !== undefined ? { maxResults: input.max_results } : {}),
            ...(input.page_token !== undefined ? { pageToken: input.page_token } : {}),
          });
          const visible = new Set(
            await access.readableModels(
              request,
              page.items.map((m) => m.name),
            ),
          );
          const models = page.items.filter((m) => visible.has(m.name)).map(registeredModelToWire);
          return {
            ...(models.length > 0 ? { registered_models: models } : {}),
            ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
          };
        },
      }),
    ),
    route({
      method: 'POST',
      path: '/mlflow/registered-models/rename',
      summary: 'Rename a registered model (versions, tags, aliases and grants follow)',
      schema: R.RenameRegisteredModel,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'MANAGE');
        const model = await registry.renameRegisteredModel(input.name, input.new_name);
        return { registered_model: registeredModelToWire(model) };
      },
    }),
    route({
      method: 'PATCH',
      path: '/mlflow/registered-models/update',
      summary: "Update a registered model's description",
      schema: R.UpdateRegisteredModel,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'EDIT');
        const model = await registry.updateRegisteredModel(
          input.name,
          input.description !== undefined ? { description: input.description } : {},
        );
        return { registered_model: registeredModelToWire(model) };
      },
    }),
    route({
      method: 'DELETE',
      path: '/mlflow/registered-models/delete',
      summary: 'Delete a registered model with its versions, tags, aliases and grants',
      schema: R.RegisteredModelOnly,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'MANAGE');
        await registry.deleteRegisteredModel(input.name);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/registered-models/set-tag',
      summary: 'Set a registered model tag',
      schema: R.SetRegisteredModelTag,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'EDIT');
        await registry.setRegisteredModelTag(input.name, input.key, input.value);
        return {};
      },
    }),
    route({
      method: 'DELETE',
      path: '/mlflow/registered-models/delete-tag',
      summary: 'Delete a registered model tag (404 when there is no such tag; MLflow ignores it)',
      schema: R.DeleteRegisteredModelTag,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'EDIT');
        await registry.deleteRegisteredModelTag(input.name, input.key);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/registered-models/alias',
      summary: 'Point an alias at a version (moving it if it points elsewhere)',
      schema: R.SetAlias,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'MANAGE');
        await registry.setAlias(input.name, input.alias, input.version);
        return {};
      },
    }),
    route({
      method: 'DELETE',
      path: '/mlflow/registered-models/alias',
      summary: 'Delete an alias (404 when there is no such alias; MLflow ignores it)',
      schema: R.AliasOnly,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'MANAGE');
        await registry.deleteAlias(input.name, input.alias);
        return {};
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/registered-models/alias',
      summary: 'Get the version an alias points at',
      schema: R.AliasOnly,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'READ');
        return {
          model_version: modelVersionToWire(
            await registry.getVersionByAlias(input.name, input.alias),
          ),
        };
      },
    }),
    ...(['POST', 'GET'] as const).map((method) =>
      route({
        method,
        path: '/mlflow/registered-models/get-latest-versions',
        summary: "Latest version per stage: 'None' (not archived) and 'Archived'",
        schema: R.GetLatestVersions,
        async handler(input, request) {
          await access.requireModel(request, input.name, 'READ');
          const versions = await latestVersions(registry, input.name, input.stages ?? []);
          return versions.length > 0 ? { model_versions: versions.map(modelVersionToWire) } : {};
        },
      }),
    ),
  ];
}

const STAGES = ['none', 'staging', 'production', 'archived'];

/**
 * MLflow's stages reduced to ours: 'None' is the latest version not archived, 'Archived' the latest
 * archived one; 'Staging' and 'Production' hold nothing (aliases replace them). No stages given
 * means 'None' only, which is what the registry's `getLatestVersions` answers.
 */
async function latestVersions(
  registry: RegistryStore,
  name: string,
  stages: readonly string[],
): Promise<readonly ModelVersion[]> {
  const wanted = new Set(stages.map((s) => s.toLowerCase()));
  for (const stage of wanted) {
    if (!STAGES.includes(stage)) {
      throw invalidParam(
        `Invalid stage '${stage}': expected None, Staging, Production or Archived.`,
        { field: 'stages' },
      );
    }
  }
  const out: ModelVersion[] = [];
  if (wanted.size === 0 || wanted.has('none'))
    out.push(...(await registry.getLatestVersions(name)));
  if (wanted.has('archived')) {
    let pageToken: string | undefined;
    let latest: ModelVersion | undefined;
    do {
      const page = await registry.searchModelVersions({
        filter: `name = ${quoted(name)}`,
        ...(pageToken !== undefined ? { pageToken } : {}),
      });
      latest ??= page.items.find((v) => v.archived);
      pageToken = latest ? undefined : page.nextPageToken;
    } while (pageToken);
    if (latest) out.push(latest);
  }
  return out;
}

/** A filter string literal; the registry's filter grammar has no escapes, so pick the quote. */
function quoted(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw invalidParam(
    `Model name '${value}' has both quote kinds; its archived versions cannot be searched.`,
  );
}
