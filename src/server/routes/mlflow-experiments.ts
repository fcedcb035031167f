import { MlflowTracking as T, experimentToWire } from '../../api/index.js';
import { MlopsError } from '../../core/index.js';
import { route, type JsonRoute } from '../mount-routes.js';
import type { ServerContext } from '../server-context.js';

/** MLflow's experiment RPCs (service.proto), over the shared TrackingStore. */
export function experimentRoutes(ctx: ServerContext): JsonRoute[] {
  const { store, access } = ctx;
  return [
    route({
      method: 'POST',
      path: '/mlflow/experiments/create',
      summary: 'Create an experiment',
      schema: T.CreateExperiment,
      async handler(input, request) {
        access.requireUser(request);
        if (input.artifact_location !== undefined && /[?#]/.test(input.artifact_location)) {
          throw new MlopsError(
            'INVALID_PARAMETER_VALUE',
            `Invalid artifact_location '${input.artifact_location}': it must not contain a query string or fragment.`,
          );
        }
        const experimentId = await store.createExperiment({
          name: input.name,
          ...(input.artifact_location ? { artifactLocation: input.artifact_location } : {}),
          tags: input.tags ?? [],
        });
        await access.created(request, experimentId);
        return { experiment_id: experimentId };
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/experiments/get',
      summary: 'Get an experiment by id (also a deleted one)',
      schema: T.GetExperiment,
      async handler(input, request) {
        await access.requireExperiment(request, input.experiment_id, 'READ');
        return { experiment: experimentToWire(await store.getExperiment(input.experiment_id)) };
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/experiments/get-by-name',
      summary: 'Get an experiment by name',
      schema: T.GetExperimentByName,
      async handler(input, request) {
        const found = await store.getExperimentByName(input.experiment_name);
        if (!found) {
          throw new MlopsError(
            'RESOURCE_DOES_NOT_EXIST',
            `Could not find experiment with name '${input.experiment_name}'`,
          );
        }
        await access.requireExperiment(request, found.experimentId, 'READ');
        return { experiment: experimentToWire(found) };
      },
    }),
    ...(['POST', 'GET'] as const).map((method) =>
      route({
        method,
        path: '/mlflow/experiments/search',
        summary: 'Search experiments (filter, order_by, pages)',
        schema: T.SearchExperiments,
        async handler(input, request) {
          const page = await store.searchExperiments({
            ...(input.filter !== undefined ? { filter: input.filter } : {}),
            ...(input.order_by !== undefined ? { orderBy: input.order_by } : {}),
            ...(input.max_results !== undefined ? { maxResults: input.max_results } : {}),
            ...(input.page_token !== undefined ? { pageToken: input.page_token } : {}),
            ...(input.view_type !== undefined ? { viewType: input.view_type } : {}),
          });
          const visible = access.enabled
            ? new Set(
                await access.readable(
                  request,
                  page.items.map((e) => e.experimentId),
                ),
              )
            : undefined;
          const experiments = page.items
            .filter((e) => !visible || visible.has(e.experimentId))
            .map(experimentToWire);
          return {
            ...(experiments.length > 0 ? { experiments } : {}),
            ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
          };
        },
      }),
    ),
    route({
      method: 'POST',
      path: '/mlflow/experiments/update',
      summary: 'Rename an experiment',
      schema: T.UpdateExperiment,
      async handler(input, request) {
        await access.requireExperiment(request, input.experiment_id, 'EDIT');
        await store.renameExperiment(input.experiment_id, input.new_name);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/experiments/delete',
      summary: 'Delete an experiment (restorable)',
      schema: T.ExperimentOnly,
      async handler(input, request) {
        await access.requireExperiment(request, input.experiment_id, 'MANAGE');
        await store.deleteExperiment(input.experiment_id);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/experiments/restore',
      summary: 'Restore a deleted experiment',
      schema: T.ExperimentOnly,
      async handler(input, request) {
        await access.requireExperiment(request, input.experiment_id, 'MANAGE');
        await store.restoreExperiment(input.experiment_id);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/experiments/set-experiment-tag',
      summary: 'Set an experiment tag',
      schema: T.SetExperimentTag,
      async handler(input, request) {
        await access.requireExperiment(request, input.experiment_id, 'EDIT');
        await store.setExperimentTag(input.experiment_id, input.key, input.value);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/experiments/delete-experiment-tag',
      summary: 'Delete an experiment tag',
      schema: T.DeleteExperimentTag,
      async handler(input, request) {
        await access.requireExperiment(request, input.experiment_id, 'EDIT');
        await store.deleteExperimentTag(input.experiment_id, input.key);
        return {};
      },
    }),
  ];
}
