import { join } from 'node:path';
import { MlopsError } from '../../core/index.js';
import { serveModel } from '../serving/index.js';
import { monitorRun, type MonitorRunResult } from './monitor-run.js';

/** What quickstart's monitoring step did. */
export interface QuickstartMonitoring {
  /** Next-day predictions sent through /predict, and actual closes posted to /feedback. */
  readonly predictions: number;
  readonly feedback: number;
  readonly firstDate?: string;
  readonly lastDate?: string;
  /** The `mlops monitor run` on monitor.yaml: report files, snapshot, notes. */
  readonly run: MonitorRunResult;
}

/** Closes sent per request: more than any example window, fewer than a page of JSON. */
const SENT_CLOSES = 250;

/**
 * Quickstart's monitoring step: serves `model` from the workspace on a free port, replays the
 * last `days` days of `data` through the real HTTP server (one /predict per day with the closes
 * before it, then /feedback with that day's actual close), stops the server (which flushes the
 * inference log), then runs `mlops monitor run --config monitor.yaml`: a report under reports/
 * and a snapshot with its lineage edge.
 */
export async function replayRecentDays(options: {
  readonly root: string;
  readonly trackingUri: string;
  readonly model: string;
  readonly data: string;
  readonly config: string;
  readonly days?: number;
  readonly progress?: (line: string) => void;
}): Promise<QuickstartMonitoring> {
  const { loadPriceCsv } = await import('../../forecast/index.js');
  const bars = (await loadPriceCsv(join(options.root, options.data))).bars;
  const days = Math.min(options.days ?? 30, Math.max(0, bars.length - 2));
  options.progress?.(`serving ${options.model} and replaying the last ${days} days...`);
  const server = await serveModel({
    uri: options.model,
    trackingUri: options.trackingUri,
    cwd: options.root,
    port: 0,
    deploymentName: 'quickstart',
    log: (line) => options.progress?.(`  [serve] ${line}`),
  });
  let predictions = 0;
  let feedback = 0;
  try {
    for (let t = bars.length - days; t < bars.length; t++) {
      const series = bars
        .slice(Math.max(0, t - SENT_CLOSES), t)
        .map((b) => ({ date: b.date, close: b.close }));
      const answer = await post(`${server.url}/predict`, { series });
      const [first] = answer['predictions'] as { prediction_id: string }[];
      predictions++;
      const actual = bars[t]?.close;
      if (first && actual !== undefined) {
        await post(`${server.url}/feedback`, [{ prediction_id: first.prediction_id, actual }]);
        feedback++;
      }
    }
  } finally {
    await server.close();
  }
  options.progress?.(`mlops monitor run --config ${options.config}...`);
  const run = await monitorRun(join(options.root, options.config), {
    trackingUri: options.trackingUri,
  });
  const firstDate = bars[bars.length - days]?.date;
  const lastDate = bars.at(-1)?.date;
  return {
    predictions,
    feedback,
    ...(firstDate === undefined ? {} : { firstDate }),
    ...(lastDate === undefined ? {} : { lastDate }),
    run,
  };
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) {
    throw new MlopsError(
      'INTERNAL_ERROR',
      `quickstart: ${url} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`,
    );
  }
  return json;
}
