import type { FastifyInstance } from 'fastify';
import { MlopsError } from '../../core/index.js';
import { AliasFollower, type AliasFollowerOptions } from '../alias-follower.js';
import type { LoadedModel } from '../loaded-model.js';
import type { ModelRunner } from '../model-runner.js';
import { ModelSlot } from '../model-slot.js';
import { createPredictionServer, type PredictionServerOptions } from './prediction-server.js';
import type { ServingMetrics } from './serving-metrics.js';

export interface StartPredictionServerOptions extends Omit<PredictionServerOptions, 'slot'> {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** Serve this version, and only it. */
  readonly model?: LoadedModel;
  /** Follow an alias: resolve, load, poll (and `follower.check()` on notification). */
  readonly follow?: AliasFollowerOptions;
  /**
   * Wait for the first version before returning (default true): a first load that fails closes
   * the server and throws. With false the server listens at once, /ready answering 503 until the
   * first version is warm.
   */
  readonly waitForModel?: boolean;
  /** How a loaded model becomes a runner (default: ONNX Runtime, else its fallback). */
  readonly openRunner?: (model: LoadedModel) => Promise<ModelRunner>;
}

export interface RunningPredictionServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly slot: ModelSlot;
  readonly follower: AliasFollower | undefined;
  readonly metrics: ServingMetrics;
  /** Stops following, drains requests, disposes runners, flushes the inference log writer. */
  close(): Promise<void>;
}

/**
 * Starts the prediction server: listens, then loads the given model or the followed alias.
 *
 * @example
 * const server = await startPredictionServer({
 *   port: 8080,
 *   follow: { resolve: () => registry.resolve('models:/goog@champion'), load: (ref) => loadModel(ref) },
 *   inferenceLog: new InferenceLogWriter(store),
 * });
 */
export async function startPredictionServer(
  options: StartPredictionServerOptions,
): Promise<RunningPredictionServer> {
  if (!options.model === !options.follow) {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      'startPredictionServer needs exactly one of `model` (serve one version) or `follow` (follow an alias).',
    );
  }
  const slot = new ModelSlot(options.openRunner ? { openRunner: options.openRunner } : {});
  const { app, metrics } = await createPredictionServer({ ...options, slot });
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const follower = options.follow
    ? new AliasFollower(slot, {
        ...options.follow,
        onError:
          options.follow.onError ??
          ((error) => log(`cannot resolve the followed model: ${String(error)}`)),
      })
    : undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await follower?.stop();
    await app.close();
    await slot.close();
    await options.inferenceLog?.close();
  };
  try {
    const address = await app.listen({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8080,
    });
    const first = follower
      ? follower
          .start()
          .then((outcome) =>
            outcome.kind === 'failed' || outcome.kind === 'unresolved' ? outcome.error : undefined,
          )
      : slot.swap(options.model as LoadedModel).then((r) => (r.ok ? undefined : r.error));
    if (options.waitForModel ?? true) {
      const error = await first;
      if (error !== undefined) throw error;
    } else {
      void first;
    }
    return { url: address.replace('[::1]', 'localhost'), app, slot, follower, metrics, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
