import { MlopsError } from '../core/index.js';
import type {
  ArtifactRecord,
  CreateExperimentInput,
  CreateRunInput,
  Experiment,
  LogBatchInput,
  Metric,
  Page,
  Run,
  RunInfo,
  SearchExperimentsInput,
  SearchRunsInput,
  TrackingStore,
  UpdateRunInput,
} from '../tracking/index.js';
import type { HttpTransport } from './http-transport.js';
import {
  artifactRecordFromWire,
  experimentFromWire,
  keyValuesToWire,
  metricFromWire,
  metricToWire,
  pageFromWire,
  runFromWire,
  runInfoFromWire,
  type WireExperiment,
  type WireMetric,
  type WireRun,
  type WireRunInfo,
} from './wire.js';

const MLFLOW = '/api/2.0/mlflow';
const NATIVE = '/api/mlops';

/** Drops `undefined` fields, so that a body carries only what the caller set (proto `HasField`). */
function defined<T extends Record<string, unknown>>(body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The TrackingStore contract over HTTP: MLflow's REST API (`/api/2.0/mlflow/...`) for
 * experiments, runs, metrics and search, and mlops' own routes (`/api/mlops/...`) for artifact
 * records. Validation happens on the server, so errors keep the codes and messages of the store
 * behind it; a batch over MLflow's limits is refused there, not split here.
 *
 * @example
 * const store = new HttpTrackingStore(transportFromEnv('http://127.0.0.1:5000'));
 * const run = await store.createRun({ experimentId: '0', runName: 'ridge' });
 */
export class HttpTrackingStore implements TrackingStore {
  constructor(readonly transport: HttpTransport) {}

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    const res = await this.transport.post<{ experiment_id?: string | number }>(
      `${MLFLOW}/experiments/create`,
      defined({
        name: input.name,
        artifact_location: input.artifactLocation,
        tags: input.tags && keyValuesToWire(input.tags),
      }),
    );
    if (res.experiment_id === undefined || res.experiment_id === '') {
      throw new MlopsError(
        'INTERNAL_ERROR',
        `The tracking server at ${this.transport.baseUrl} created experiment '${input.name}' but sent no experiment_id.`,
      );
    }
    return String(res.experiment_id);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const res = await this.transport.get<{ experiment?: WireExperiment }>(
      `${MLFLOW}/experiments/get`,
      { experiment_id: experimentId },
    );
    return experimentFromWire(res.experiment);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const res = await this.transport.get<{ experiment?: WireExperiment }>(
        `${MLFLOW}/experiments/get-by-name`,
        { experiment_name: name },
      );
      return experimentFromWire(res.experiment);
    } catch (err) {
      if (MlopsError.is(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw err;
    }
  }

  async searchExperiments(input: SearchExperimentsInput = {}): Promise<Page<Experiment>> {
    const res = await this.transport.post<{
      experiments?: WireExperiment[];
      next_page_token?: string;
    }>(
      `${MLFLOW}/experiments/search`,
      defined({
        max_results: input.maxResults,
        page_token: input.pageToken,
        filter: input.filter,
        order_by: input.orderBy,
        view_type: input.viewType,
      }),
    );
    return pageFromWire(res.experiments, res.next_page_token, experimentFromWire);
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    await this.transport.post(`${MLFLOW}/experiments/update`, {
      experiment_id: experimentId,
      new_name: newName,
    });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.transport.post(`${MLFLOW}/experiments/set-experiment-tag`, {
      experiment_id: experimentId,
      key,
      value,
    });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.transport.post(`${MLFLOW}/experiments/delete-experiment-tag`, {
      experiment_id: experimentId,
      key,
    });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.transport.post(`${MLFLOW}/experiments/delete`, { experiment_id: experimentId });
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.transport.post(`${MLFLOW}/experiments/restore`, { experiment_id: experimentId });
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    const res = await this.transport.post<{ run?: WireRun }>(
      `${MLFLOW}/runs/create`,
      defined({
        experiment_id: input.experimentId,
        user_id: input.userId,
        run_name: input.runName,
        start_time: input.startTime,
        tags: input.tags && keyValuesToWire(input.tags),
      }),
    );
    return runFromWire(res.run);
  }

  async getRun(runId: string): Promise<Run> {
    const res = await this.transport.get<{ run?: WireRun }>(`${MLFLOW}/runs/get`, {
      run_id: runId,
    });
    return runFromWire(res.run);
  }

  async updateRun(runId: string, input: UpdateRunInput): Promise<RunInfo> {
    const res = await this.transport.post<{ run_info?: WireRunInfo }>(
      `${MLFLOW}/runs/update`,
      defined({
        run_id: runId,
        // Old servers read only the deprecated run_uuid.
        run_uuid: runId,
        status: input.status,
        end_time: input.endTime,
        run_name: input.runName,
      }),
    );
    return runInfoFromWire(res.run_info);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.transport.post(`${MLFLOW}/runs/delete`, { run_id: runId });
  }

  async restoreRun(runId: string): Promise<void> {
    await this.transport.post(`${MLFLOW}/runs/restore`, { run_id: runId });
  }

  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    await this.transport.post(`${MLFLOW}/runs/log-batch`, {
      run_id: runId,
      metrics: (batch.metrics ?? []).map(metricToWire),
      params: keyValuesToWire(batch.params),
      tags: keyValuesToWire(batch.tags),
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.transport.post(`${MLFLOW}/runs/delete-tag`, { run_id: runId, key });
  }

  async getMetricHistory(
    runId: string,
    key: string,
    page: { maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<Metric>> {
    const res = await this.transport.get<{ metrics?: WireMetric[]; next_page_token?: string }>(
      `${MLFLOW}/metrics/get-history`,
      {
        run_id: runId,
        metric_key: key,
        max_results: page.maxResults,
        page_token: page.pageToken,
      },
    );
    return pageFromWire(res.metrics, res.next_page_token, metricFromWire);
  }

  async searchRuns(input: SearchRunsInput): Promise<Page<Run>> {
    const res = await this.transport.post<{ runs?: WireRun[]; next_page_token?: string }>(
      `${MLFLOW}/runs/search`,
      defined({
        experiment_ids: input.experimentIds,
        filter: input.filter,
        run_view_type: input.viewType,
        max_results: input.maxResults,
        order_by: input.orderBy,
        page_token: input.pageToken,
      }),
    );
    return pageFromWire(res.runs, res.next_page_token, runFromWire);
  }

  async recordArtifacts(runId: string, records: readonly ArtifactRecord[]): Promise<void> {
    await this.transport.post(`${NATIVE}/runs/record-artifacts`, {
      runId,
      artifacts: records.map(({ path, manifestId, size }) => ({ path, manifestId, size })),
    });
  }

  async listArtifactRecords(runId: string, prefix?: string): Promise<readonly ArtifactRecord[]> {
    const res = await this.transport.get<{ artifacts?: unknown[] }>(
      `${NATIVE}/runs/artifact-records`,
      { runId, prefix: prefix || undefined },
    );
    return (res.artifacts ?? []).map(artifactRecordFromWire);
  }

  async *artifactManifestIds(): AsyncIterable<string> {
    let pageToken: string | undefined;
    do {
      const res = await this.transport.get<{ manifestIds?: string[]; nextPageToken?: string }>(
        `${NATIVE}/artifact-manifests`,
        { pageToken },
      );
      yield* res.manifestIds ?? [];
      pageToken = res.nextPageToken || undefined;
    } while (pageToken);
  }

  /** Aborts requests in flight; the transport is shared with the blob and lineage stores. */
  async close(): Promise<void> {
    this.transport.close();
  }
}
