import { LoggedModels as L, fileInfoToWire, loggedModelToWire } from '../../api/index.js';
import { invalidParam } from '../../core/index.js';
import { artifactChildren, safeArtifactPath } from '../../tracking/index.js';
import { route, type JsonRoute } from '../mount-routes.js';
import type { ServerContext } from '../server-context.js';

/**
 * MLflow 3.x logged models: what a 3.x client's `log_model` calls (create, upload to the model's
 * artifact_uri, finalize) plus get, search, tags, params, delete and directory listing.
 */
export function loggedModelRoutes(ctx: ServerContext): JsonRoute[] {
  const { loggedModels, access } = ctx;
  const requireModel = async (
    request: Parameters<JsonRoute['handler']>[1],
    modelId: string,
    need: 'READ' | 'EDIT' | 'MANAGE',
  ) => {
    const model = await loggedModels.get(modelId);
    await access.requireExperiment(request, model.experimentId, need);
    return model;
  };
  return [
    route({
      method: 'POST',
      path: '/mlflow/logged-models',
      summary: 'Create a logged model (PENDING until finalized)',
      schema: L.CreateLoggedModel,
      async handler(input, request) {
        await access.requireExperiment(request, input.experiment_id, 'EDIT');
        if (input.source_run_id) {
          const run = await ctx.store.getRun(input.source_run_id);
          if (run.info.experimentId !== input.experiment_id) {
            throw invalidParam(
              `source_run_id ${input.source_run_id} belongs to experiment ${run.info.experimentId}, not ${input.experiment_id}.`,
            );
          }
        }
        const creator = access.userName(request);
        const model = await loggedModels.create({
          experimentId: input.experiment_id,
          ...(input.name ? { name: input.name } : {}),
          ...(input.model_type ? { modelType: input.model_type } : {}),
          ...(input.source_run_id ? { sourceRunId: input.source_run_id } : {}),
          ...(creator ? { creatorId: creator } : {}),
          params: input.params ?? [],
          tags: input.tags ?? [],
        });
        return { model: loggedModelToWire(model) };
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/logged-models/:model_id',
      summary: 'Get a logged model',
      schema: L.ModelIdOnly,
      async handler(input, request) {
        return { model: loggedModelToWire(await requireModel(request, input.model_id, 'READ')) };
      },
    }),
    route({
      method: 'PATCH',
      path: '/mlflow/logged-models/:model_id',
      summary: 'Finalize a logged model (READY or UPLOAD_FAILED)',
      schema: L.FinalizeLoggedModel,
      async handler(input, request) {
        await requireModel(request, input.model_id, 'EDIT');
        const model = await loggedModels.setStatus(
          input.model_id,
          input.status,
          input.status_message,
        );
        return { model: loggedModelToWire(model) };
      },
    }),
    route({
      method: 'DELETE',
      path: '/mlflow/logged-models/:model_id',
      summary: 'Delete a logged model',
      schema: L.ModelIdOnly,
      async handler(input, request) {
        await requireModel(request, input.model_id, 'MANAGE');
        await loggedModels.delete(input.model_id);
        return {};
      },
    }),
    route({
      method: 'PATCH',
      path: '/mlflow/logged-models/:model_id/tags',
      summary: 'Set tags of a logged model',
      schema: L.SetLoggedModelTags,
      async handler(input, request) {
        await requireModel(request, input.model_id, 'EDIT');
        await loggedModels.setTags(input.model_id, input.tags ?? []);
        return {};
      },
    }),
    route({
      method: 'DELETE',
      path: '/mlflow/logged-models/:model_id/tags/:tag_key',
      summary: 'Delete a tag of a logged model',
      schema: L.DeleteLoggedModelTag,
      async handler(input, request) {
        await requireModel(request, input.model_id, 'EDIT');
        await loggedModels.deleteTag(input.model_id, input.tag_key);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/logged-models/:model_id/params',
      summary: 'Log params of a logged model',
      schema: L.LogLoggedModelParams,
      async handler(input, request) {
        await requireModel(request, input.model_id, 'EDIT');
        await loggedModels.logParams(input.model_id, input.params ?? []);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/logged-models/search',
      summary: 'Search logged models of experiments (newest first, 50 a page)',
      schema: L.SearchLoggedModels,
      async handler(input, request) {
        if (input.filter) {
          throw invalidParam(
            'Filtering logged models is not supported by this server yet; search without a filter.',
          );
        }
        const ids = await access.readable(request, input.experiment_ids ?? []);
        const page = await loggedModels.search({
          experimentIds: ids,
          ...(input.max_results !== undefined ? { maxResults: input.max_results } : {}),
          ...(input.page_token !== undefined ? { pageToken: input.page_token } : {}),
        });
        return {
          ...(page.items.length > 0 ? { models: page.items.map(loggedModelToWire) } : {}),
          ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
        };
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/logged-models/:model_id/artifacts/directories',
      summary: "List a directory of a logged model's files",
      schema: L.ListLoggedModelArtifacts,
      async handler(input, request) {
        await requireModel(request, input.model_id, 'READ');
        const prefix = safeArtifactPath(input.artifact_directory_path ?? '');
        const records = await loggedModels.listArtifactRecords(input.model_id, prefix);
        const files = artifactChildren(records, prefix).map(fileInfoToWire);
        return files.length > 0 ? { files } : {};
      },
    }),
  ];
}
