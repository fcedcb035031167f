import {
  MlflowTracking as T,
  runInfoToWire,
  runToWire,
  type WireRun,
  type WireRunInputs,
} from '../../api/index.js';
import { invalidParam } from '../../core/index.js';
import type { KeyValue, Metric, Run } from '../../tracking/index.js';

/** A metric point as the wire carries it, with MLflow 3.x's optional model and dataset. */
interface ModelMetric extends Metric {
  readonly model_id?: string | undefined;
  readonly dataset_name?: string | undefined;
  readonly dataset_digest?: string | undefined;
}
import { route, type JsonRoute } from '../mount-routes.js';
import type { ServerContext } from '../server-context.js';

/** `run_id`, or the deprecated `run_uuid` old clients send. */
function runIdOf(input: { run_id?: string | undefined; run_uuid?: string | undefined }): string {
  const id = input.run_id || input.run_uuid;
  if (!id) throw invalidParam("Missing value for required parameter 'run_id'.");
  return id;
}

/** Runs with their inputs and outputs (datasets, logged models) as MLflow returns them. */
export async function runsToWire(ctx: ServerContext, runs: readonly Run[]): Promise<WireRun[]> {
  const io = await ctx.runIo.of(runs.map((r) => r.info.runId));
  return runs.map((run) => {
    const entry = io.get(run.info.runId);
    if (!entry) return runToWire(run);
    const inputs: WireRunInputs = {};
    if (entry.datasets.length > 0) {
      inputs.dataset_inputs = entry.datasets.map((d) => ({
        ...(d.tags.length > 0 ? { tags: d.tags.map((t) => ({ key: t.key, value: t.value })) } : {}),
        dataset: {
          name: d.name,
          digest: d.digest,
          source_type: d.sourceType,
          source: d.source,
          ...(d.schema !== undefined ? { schema: d.schema } : {}),
          ...(d.profile !== undefined ? { profile: d.profile } : {}),
        },
      }));
    }
    const outputs =
      entry.modelOutputs.length > 0
        ? { model_outputs: entry.modelOutputs.map((m) => ({ model_id: m.modelId, step: m.step })) }
        : undefined;
    return runToWire(run, inputs, outputs);
  });
}

/** MLflow's run RPCs: lifecycle, logging, inputs, search. */
export function runRoutes(ctx: ServerContext): JsonRoute[] {
  const { store, access } = ctx;
  const logOne = async (
    request: Parameters<JsonRoute['handler']>[1],
    runId: string,
    batch: { metrics?: ModelMetric[]; params?: KeyValue[]; tags?: KeyValue[] },
  ) => {
    await access.requireRun(request, runId, 'EDIT');
    await store.logBatch(runId, {
      ...batch,
      metrics: (batch.metrics ?? []).map(({ key, value, timestamp, step }) => ({
        key,
        value,
        timestamp,
        step,
      })),
    });
    await logModelMetrics(request, runId, batch.metrics ?? []);
    return {};
  };
  /** 3.x clients tag points with the logged model they measure: they join its data.metrics. */
  const logModelMetrics = async (
    request: Parameters<JsonRoute['handler']>[1],
    runId: string,
    metrics: readonly ModelMetric[],
  ) => {
    const byModel = new Map<string, ModelMetric[]>();
    for (const m of metrics) {
      if (m.model_id) byModel.set(m.model_id, [...(byModel.get(m.model_id) ?? []), m]);
    }
    for (const [modelId, points] of byModel) {
      // The run's EDIT does not extend to a model of another experiment.
      const model = await ctx.loggedModels.get(modelId);
      await access.requireExperiment(request, model.experimentId, 'EDIT');
      await ctx.loggedModels.logMetrics(
        modelId,
        runId,
        points.map((p) => ({
          key: p.key,
          value: p.value,
          timestamp: p.timestamp,
          step: p.step,
          runId,
          ...(p.dataset_name !== undefined ? { datasetName: p.dataset_name } : {}),
          ...(p.dataset_digest !== undefined ? { datasetDigest: p.dataset_digest } : {}),
        })),
      );
    }
  };
  return [
    route({
      method: 'POST',
      path: '/mlflow/runs/create',
      summary: 'Create a run',
      schema: T.CreateRun,
      async handler(input, request) {
        const experimentId = input.experiment_id ?? '0';
        await access.requireExperiment(request, experimentId, 'EDIT');
        const userId = access.userName(request) ?? input.user_id;
        const run = await store.createRun({
          experimentId,
          ...(input.run_name ? { runName: input.run_name } : {}),
          ...(userId ? { userId } : {}),
          ...(input.start_time !== undefined ? { startTime: input.start_time } : {}),
          tags: input.tags ?? [],
        });
        return { run: runToWire(run) };
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/runs/get',
      summary: 'Get a run with its latest metrics, params, tags and inputs',
      schema: T.RunOnly,
      async handler(input, request) {
        const runId = runIdOf(input);
        await access.requireRun(request, runId, 'READ');
        const [run] = await runsToWire(ctx, [await store.getRun(runId)]);
        return { run };
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/update',
      summary: 'Update status, end time or name of a run',
      schema: T.UpdateRun,
      async handler(input, request) {
        const runId = runIdOf(input);
        await access.requireRun(request, runId, 'EDIT');
        const info = await store.updateRun(runId, {
          ...(input.status !== undefined ? { status: input.status } : {}),
          ...(input.end_time !== undefined ? { endTime: input.end_time } : {}),
          ...(input.run_name !== undefined ? { runName: input.run_name } : {}),
        });
        return { run_info: runInfoToWire(info) };
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/delete',
      summary: 'Delete a run (restorable)',
      schema: T.RunOnly,
      async handler(input, request) {
        const runId = runIdOf(input);
        await access.requireRun(request, runId, 'MANAGE');
        await store.deleteRun(runId);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/restore',
      summary: 'Restore a deleted run',
      schema: T.RunOnly,
      async handler(input, request) {
        const runId = runIdOf(input);
        await access.requireRun(request, runId, 'MANAGE');
        await store.restoreRun(runId);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/log-metric',
      summary: 'Append one metric point',
      schema: T.LogMetric,
      handler: (input, request) =>
        logOne(request, runIdOf(input), {
          metrics: [
            { key: input.key, value: input.value, timestamp: input.timestamp, step: input.step },
          ],
        }),
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/log-parameter',
      summary: 'Log one param (immutable once set)',
      schema: T.LogParam,
      handler: (input, request) =>
        logOne(request, runIdOf(input), { params: [{ key: input.key, value: input.value }] }),
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/set-tag',
      summary: 'Set one run tag',
      schema: T.SetTag,
      handler: (input, request) =>
        logOne(request, runIdOf(input), { tags: [{ key: input.key, value: input.value }] }),
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/delete-tag',
      summary: 'Delete a run tag',
      schema: T.DeleteTag,
      async handler(input, request) {
        await access.requireRun(request, input.run_id, 'EDIT');
        await store.deleteTag(input.run_id, input.key);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/log-batch',
      summary: 'Log metrics, params and tags at once (1000 / 100 / 100 at most, all or nothing)',
      schema: T.LogBatch,
      handler: (input, request) =>
        logOne(request, input.run_id, {
          metrics: input.metrics ?? [],
          params: input.params ?? [],
          tags: input.tags ?? [],
        }),
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/log-inputs',
      summary: 'Record datasets (and models) a run used',
      schema: T.LogInputs,
      async handler(input, request) {
        await access.requireRun(request, input.run_id, 'EDIT');
        await store.getRun(input.run_id);
        await ctx.runIo.logInputs(
          input.run_id,
          (input.datasets ?? []).map((d) => ({
            name: d.dataset.name,
            digest: d.dataset.digest,
            sourceType: d.dataset.source_type,
            source: d.dataset.source,
            ...(d.dataset.schema !== undefined ? { schema: d.dataset.schema } : {}),
            ...(d.dataset.profile !== undefined ? { profile: d.dataset.profile } : {}),
            tags: d.tags ?? [],
          })),
        );
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/outputs',
      summary: 'Record logged models a run produced (MLflow 3.x)',
      schema: T.LogOutputs,
      async handler(input, request) {
        await access.requireRun(request, input.run_id, 'EDIT');
        await store.getRun(input.run_id);
        await ctx.runIo.logOutputs(
          input.run_id,
          input.models.map((m) => ({ modelId: m.model_id, step: m.step })),
        );
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/log-model',
      summary: "Record an MLmodel in the run's mlflow.log-model.history tag",
      schema: T.LogModel,
      async handler(input, request) {
        await access.requireRun(request, input.run_id, 'EDIT');
        let model: unknown;
        try {
          model = JSON.parse(input.model_json);
        } catch {
          throw invalidParam("Invalid value for parameter 'model_json': it is not JSON.");
        }
        const run = await store.getRun(input.run_id);
        const history = parseHistory(run.data.tags['mlflow.log-model.history']);
        history.push(model);
        await store.logBatch(input.run_id, {
          tags: [{ key: 'mlflow.log-model.history', value: JSON.stringify(history) }],
        });
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/mlflow/runs/search',
      summary: 'Search runs (filter, order_by, pages of up to 50,000)',
      schema: T.SearchRuns,
      async handler(input, request) {
        const experimentIds = input.experiment_ids ?? [];
        for (const id of experimentIds) await access.requireExperiment(request, id, 'READ');
        const page = await store.searchRuns({
          experimentIds,
          ...(input.filter !== undefined ? { filter: input.filter } : {}),
          ...(input.order_by !== undefined ? { orderBy: input.order_by } : {}),
          ...(input.max_results !== undefined ? { maxResults: input.max_results } : {}),
          ...(input.page_token !== undefined ? { pageToken: input.page_token } : {}),
          ...(input.run_view_type !== undefined ? { viewType: input.run_view_type } : {}),
        });
        const runs = await runsToWire(ctx, page.items);
        return {
          ...(runs.length > 0 ? { runs } : {}),
          ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
        };
      },
    }),
  ];
}

function parseHistory(value: string | undefined): unknown[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
