import { MlflowRegistry as R, modelVersionToWire } from '../../api/index.js';
import { invalidParam } from '../../core/index.js';
import type { RegistryStore } from '../../registry/index.js';
import { route, type JsonRoute } from '../mount-routes.js';
import type { ServerContext } from '../server-context.js';
import { downloadUri, resolveModelVersionSource } from './model-version-source.js';

export interface ModelVersionRouteOptions {
  /**
   * Whether a new version's source must resolve inside the artifact store (default true). Only
   * the RegistryStore conformance suite turns this off: to the store a source is an opaque
   * string, and it registers sources such as `s3://b/1` for runs that do not exist.
   */
  readonly checkSources?: boolean;
}

/**
 * MLflow's model-version RPCs (model_registry.proto). EDIT on the model registers versions (with
 * READ on the source's experiment), updates them and sets tags; MANAGE deletes them. The stage
 * transition keeps only our two stages: 'Archived' archives, 'None' restores.
 */
export function modelVersionRoutes(
  ctx: ServerContext,
  registry: RegistryStore,
  options: ModelVersionRouteOptions = {},
): JsonRoute[] {
  const { access } = ctx;
  const checkSources = options.checkSources ?? true;
  return [
    route({
      method: 'POST',
      path: '/mlflow/model-versions/create',
      summary: 'Register a version from a run (or logged model) in the artifact store',
      schema: R.CreateModelVersion,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'EDIT');
        let source = input.source;
        let runId = input.run_id || undefined;
        if (checkSources) {
          const resolved = await resolveModelVersionSource(
            ctx,
            input.source,
            runId,
            input.model_id || undefined,
          );
          await access.requireExperiment(request, resolved.experimentId, 'READ');
          source = resolved.source;
          runId = resolved.runId;
        }
        const version = await registry.createModelVersion({
          name: input.name,
          source,
          ...(runId !== undefined ? { runId } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.package_hash !== undefined ? { packageHash: input.package_hash } : {}),
          tags: input.tags ?? [],
        });
        return { model_version: modelVersionToWire(version) };
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/model-versions/get',
      summary: 'Get a model version',
      schema: R.ModelVersionOnly,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'READ');
        return {
          model_version: modelVersionToWire(
            await registry.getModelVersion(input.name, input.version),
          ),
        };
      },
    }),
    ...(['GET', 'POST'] as const).map((method) =>
      route({
        method,
        path: '/mlflow/model-versions/search',
        summary: 'Search model versions (name = and run_id =; newest first; pages)',
        schema: R.SearchModelVersions,
        async handler(input, request) {
          if (input.order_by !== undefined && input.order_by.length > 0) {
            throw invalidParam(
              `Invalid order_by ${JSON.stringify(input.order_by)}: model versions are listed by name, newest version first, and cannot be reordered.`,
              { field: 'order_by' },
            );
          }
          const page = await registry.searchModelVersions({
            ...(input.filter !== undefined ? { filter: input.filter } : {}),
            ...(input.max_results !== undefined ? { maxResults: input.max_results } : {}),
            ...(input.page_token !== undefined ? { pageToken: input.page_token } : {}),
          });
          const visible = new Set(
            await access.readableModels(request, [...new Set(page.items.map((v) => v.name))]),
          );
          const versions = page.items.filter((v) => visible.has(v.name)).map(modelVersionToWire);
          return {
            ...(versions.length > 0 ? { model_versions: versions } : {}),
            ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
          };
        },
      }),
    ),
    route({
      method: 'PATCH',
      path: '/mlflow/model-versions/update',
      summary: "Update a model version's description",
      schema: R.UpdateModelVersion,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'EDIT');
        const version = await registry.updateModelVersion(
          input.name,
          input.version,
          input.description !== undefined ? { description: input.description } : {},
        );
        return { model_version: modelVersionToWire(version) };
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/model-versions/transition-stage',
      summary: "Archive ('Archived') or restore ('None') a version; other stages are aliases now",
      schema: R.TransitionStage,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'EDIT');
        const archiveOthers = input.archive_existing_versions;
        if (archiveOthers === true || archiveOthers === 'true') {
          throw invalidParam(
            'archive_existing_versions is not supported: archive other versions one by one.',
            { field: 'archive_existing_versions' },
          );
        }
        const stage = input.stage.toLowerCase();
        if (stage !== 'archived' && stage !== 'none') {
          throw invalidParam(
            `Invalid stage '${input.stage}': only 'Archived' and 'None' exist here; use an alias (POST registered-models/alias) instead of Staging or Production.`,
            { field: 'stage' },
          );
        }
        const version =
          stage === 'archived'
            ? await registry.archiveModelVersion(input.name, input.version)
            : await registry.restoreModelVersion(input.name, input.version);
        return { model_version: modelVersionToWire(version) };
      },
    }),
    route({
      method: 'DELETE',
      path: '/mlflow/model-versions/delete',
      summary: 'Delete a model version with its tags and the aliases pointing at it',
      schema: R.ModelVersionOnly,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'MANAGE');
        await registry.deleteModelVersion(input.name, input.version);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/model-versions/set-tag',
      summary: 'Set a model version tag',
      schema: R.SetModelVersionTag,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'EDIT');
        await registry.setModelVersionTag(input.name, input.version, input.key, input.value);
        return {};
      },
    }),
    route({
      method: 'DELETE',
      path: '/mlflow/model-versions/delete-tag',
      summary: 'Delete a model version tag (404 when there is no such tag; MLflow ignores it)',
      schema: R.DeleteModelVersionTag,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'EDIT');
        await registry.deleteModelVersionTag(input.name, input.version, input.key);
        return {};
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/model-versions/get-download-uri',
      summary: "Where a version's files are: its run's (or logged model's) artifact URI",
      schema: R.ModelVersionOnly,
      async handler(input, request) {
        await access.requireModel(request, input.name, 'READ');
        const version = await registry.getModelVersion(input.name, input.version);
        return { artifact_uri: await downloadUri(ctx, version.source) };
      },
    }),
  ];
}
