import type { FastifyRequest } from 'fastify';
import type { InferenceLogWriter } from '../inference-log/index.js';
import type { ModelSlot } from '../model-slot.js';
import type { ServingMetrics } from './serving-metrics.js';

/** What the prediction routes share. */
export interface ServerContext {
  readonly slot: ModelSlot;
  readonly inferenceLog: InferenceLogWriter | undefined;
  readonly metrics: ServingMetrics;
  readonly requestTimeoutMs: number;
  readonly maxHorizon: number;
  readonly log: (line: string) => void;
  /** The version that answered each request, for the metrics' labels. */
  readonly answeredBy: WeakMap<FastifyRequest, string>;
  /** The error code each failed request got, for the error counter. */
  readonly errorCodes: WeakMap<FastifyRequest, string>;
}
