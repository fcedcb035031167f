import { hostname } from 'node:os';
import { invalidParam } from '../../core/index.js';
import { LineageRelations } from '../../lineage/index.js';
import type { RegistryStore } from '../../registry/index.js';
import type { TrackingClient } from '../../tracking/index.js';
import {
  InferenceLogWriter,
  startPredictionServer,
  type InferenceLogStore,
  type ModelRef,
  type RunningPredictionServer,
} from '../../serving/index.js';
import { connect, openInferenceLog, openRegistry } from '../connect.js';
import { parseModelUri, resolveModelUri } from '../models/index.js';
import type { ModelsContext } from '../models/models-context.js';
import { loadServedModel } from './loaded-model.js';

export interface ServeModelOptions {
  /** `models:/name@alias` (followed), `models:/name/3` or `models:/name/latest` (followed). */
  readonly uri: string;
  /** Where the registry and packages are (default: MLOPS_TRACKING_URI, else the workspace). */
  readonly trackingUri?: string;
  readonly cwd?: string;
  readonly host?: string;
  readonly port?: number;
  /** How often the alias is re-resolved (default 5 s). */
  readonly pollIntervalMs?: number;
  readonly bodyLimit?: number;
  readonly requestTimeoutMs?: number;
  readonly maxHorizon?: number;
  /** Write every prediction to the inference log (default true). */
  readonly inferenceLog?: boolean;
  /** Wait for the first version before resolving (default true). */
  readonly waitForModel?: boolean;
  readonly logRequests?: boolean;
  readonly log?: (line: string) => void;
  /**
   * This server's name in the lineage graph (`deployment:<name>`; each version it serves gets
   * a model_version -> deployment edge). Default: MLOPS_DEPLOYMENT_NAME, else `<host>:<port>`.
   */
  readonly deploymentName?: string;
}

export interface ServingHandle extends RunningPredictionServer {
  /** The registry the server follows (for tests and the CLI's messages). */
  readonly registry: RegistryStore;
}

/**
 * `mlops serve`: the prediction server for a registered model, following its alias. Packages
 * come from the workspace store or a tracking server; predictions and feedback go to the same
 * store's inference log (SQL directly, or the server's `/api/mlops/inference-log`), batched off
 * the request path. A version that fails to load (corrupt package, signature mismatch) is
 * refused and the current one keeps serving.
 */
export async function serveModel(options: ServeModelOptions): Promise<ServingHandle> {
  const parsed = parseModelUri(options.uri);
  if (parsed.scheme === 'runs') {
    throw invalidParam(
      `mlops serve takes a registered model (models:/<name>@<alias> or models:/<name>/<version>), not '${options.uri}'; register it first with \`mlops models register ${options.uri} --name <name>\`.`,
      { uri: options.uri },
    );
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const client = await connect(options.trackingUri, options.cwd ? { cwd: options.cwd } : {});
  let registry: RegistryStore | undefined;
  let store: InferenceLogStore | undefined;
  try {
    registry = await openRegistry(client);
    const ctx: ModelsContext = {
      client,
      registry,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    };
    const reg = registry;
    const resolve = async (): Promise<ModelRef> => {
      // The poll's fast path: one alias lookup. resolveModelUri (several queries) runs only
      // when that fails, for its message naming what exists.
      const v =
        'alias' in parsed
          ? await reg
              .getVersionByAlias(parsed.name, parsed.alias)
              .catch(() => resolveModelUri(reg, options.uri))
          : await resolveModelUri(reg, options.uri);
      return { name: v.name, version: v.version, packageHash: v.packageHash ?? '' };
    };
    const load = async (ref: ModelRef) =>
      loadServedModel(ctx, await reg.getModelVersion(ref.name, ref.version));
    store = options.inferenceLog === false ? undefined : await openInferenceLog(client);
    const writer = store
      ? new InferenceLogWriter(store, {
          // Small, frequent batches: a SQLite insert runs on the event loop, and 64 rows keep
          // each one short enough not to show in the request latency tail.
          maxBatch: 64,
          flushIntervalMs: 50,
          onError: (error, dropped) =>
            log(`inference log: ${String(error)}${dropped ? ` (${dropped} records dropped)` : ''}`),
        })
      : undefined;
    const server = await startPredictionServer({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
      follow: {
        resolve,
        load,
        ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
        onError: (error) => log(`cannot resolve ${options.uri}: ${String(error)}`),
      },
      ...(writer ? { inferenceLog: writer } : {}),
      ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
      ...(options.requestTimeoutMs !== undefined
        ? { requestTimeoutMs: options.requestTimeoutMs }
        : {}),
      ...(options.maxHorizon !== undefined ? { maxHorizon: options.maxHorizon } : {}),
      ...(options.waitForModel !== undefined ? { waitForModel: options.waitForModel } : {}),
      logRequests: options.logRequests ?? false,
      log,
    });
    const deployment =
      options.deploymentName ||
      process.env['MLOPS_DEPLOYMENT_NAME'] ||
      `${hostname()}:${new URL(server.url).port}`;
    const recordDeployment = (model: ModelRef) =>
      client.lineage
        .record([
          {
            src: { type: 'model_version', id: `${model.name}/${model.version}` },
            dst: { type: 'deployment', id: deployment },
            relation: LineageRelations.deployedAs,
            attrs: { url: server.url, at: new Date().toISOString() },
          },
        ])
        .catch((error: unknown) =>
          log(`cannot record the deployment in lineage: ${String(error)}`),
        );
    const first = server.slot.current;
    if (first) await recordDeployment(first);
    const unsubscribe = server.slot.subscribe((event) => {
      if (event.type === 'swapped') void recordDeployment(event.to);
    });
    const opened = { client, registry: reg, store };
    return {
      ...server,
      registry: reg,
      close: async () => {
        unsubscribe();
        await server.close();
        await closeAll(opened);
      },
    };
  } catch (err) {
    await closeAll({ client, registry, store });
    throw err;
  }
}

async function closeAll(opened: {
  client: TrackingClient;
  registry?: RegistryStore | undefined;
  store?: InferenceLogStore | undefined;
}): Promise<void> {
  await opened.store?.close().catch(() => {});
  await opened.registry?.close().catch(() => {});
  await opened.client.close().catch(() => {});
}
