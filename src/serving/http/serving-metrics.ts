import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ModelRef } from '../loaded-model.js';

/** Where /metrics reads the inference log's backlog from. */
export interface LogGauges {
  readonly pending: number;
  readonly dropped: number;
}

/**
 * The prediction server's Prometheus metrics, in a registry of its own (never prom-client's
 * global one, so two servers in one process do not mix). Route labels are route patterns and the
 * model version is a label, so a dashboard can compare versions across a swap.
 */
export class ServingMetrics {
  private constructor(
    readonly registry: Registry,
    private readonly requests: Counter<'route' | 'status' | 'model_version'>,
    private readonly errors: Counter<'route' | 'code' | 'model_version'>,
    private readonly latency: Histogram<'route' | 'model_version'>,
    private readonly predictions: Counter<'route' | 'model_version'>,
    private readonly swaps: Counter,
    private readonly swapFailures: Counter,
    private readonly model: Gauge<'name' | 'version' | 'package_hash'>,
  ) {}

  /** prom-client is loaded here, on first use. */
  static async create(log?: () => LogGauges | undefined): Promise<ServingMetrics> {
    const prom = await import('prom-client');
    const registry = new prom.Registry();
    prom.collectDefaultMetrics({ register: registry, prefix: 'mlops_serving_' });
    const registers = [registry];
    const requests = new prom.Counter({
      name: 'mlops_serving_requests_total',
      help: 'Requests answered, by route, status and the model version that answered',
      labelNames: ['route', 'status', 'model_version'] as const,
      registers,
    });
    const errors = new prom.Counter({
      name: 'mlops_serving_request_errors_total',
      help: 'Requests answered with an error, by route and error code',
      labelNames: ['route', 'code', 'model_version'] as const,
      registers,
    });
    const latency = new prom.Histogram({
      name: 'mlops_serving_request_duration_seconds',
      help: 'Time to answer a request, by route and model version',
      labelNames: ['route', 'model_version'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    });
    const predictions = new prom.Counter({
      name: 'mlops_serving_predictions_total',
      help: 'Values predicted (a horizon of 5 counts 5), by route and model version',
      labelNames: ['route', 'model_version'] as const,
      registers,
    });
    const swaps = new prom.Counter({
      name: 'mlops_serving_model_swaps_total',
      help: 'Model versions swapped in (the first load counts)',
      registers,
    });
    const swapFailures = new prom.Counter({
      name: 'mlops_serving_model_swap_failures_total',
      help: 'Model versions that failed to load or warm up; the current version kept serving',
      registers,
    });
    const model = new prom.Gauge({
      name: 'mlops_serving_model_info',
      help: 'The model version being served (value 1)',
      labelNames: ['name', 'version', 'package_hash'] as const,
      registers,
    });
    new prom.Gauge({
      name: 'mlops_serving_inference_log_pending',
      help: 'Inference log records waiting to be written',
      registers,
      collect() {
        this.set(log?.()?.pending ?? 0);
      },
    });
    new prom.Gauge({
      name: 'mlops_serving_inference_log_dropped',
      help: 'Inference log records dropped (store failing or queue full) since start',
      registers,
      collect() {
        this.set(log?.()?.dropped ?? 0);
      },
    });
    return new ServingMetrics(
      registry,
      requests,
      errors,
      latency,
      predictions,
      swaps,
      swapFailures,
      model,
    );
  }

  observe(route: string, status: number, version: string, seconds: number, code?: string): void {
    this.requests.inc({ route, status: String(status), model_version: version });
    this.latency.observe({ route, model_version: version }, seconds);
    if (code !== undefined) this.errors.inc({ route, code, model_version: version });
  }

  predicted(route: string, version: string, count: number): void {
    this.predictions.inc({ route, model_version: version }, count);
  }

  swapped(to: ModelRef): void {
    this.swaps.inc();
    this.model.reset();
    this.model.set({ name: to.name, version: to.version, package_hash: to.packageHash }, 1);
  }

  swapFailed(): void {
    this.swapFailures.inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
