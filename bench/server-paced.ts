// An open-loop load at an even pace, for `npm run bench -- server`. autocannon's `overallRate`
// is a budget per second, not a pace: each connection sends its share back to back when its
// 1-second interval fires (and all connections' intervals start together), so "500 requests/s
// from 20 connections" is a burst of 500 requests at concurrency 20 at the top of every second
// followed by silence. Here request i is due at start + i / rate, goes out on one of `connections`
// keep-alive sockets (waiting for a free one if all are busy), and its latency is counted from
// when it was due, so time spent queued behind a slow server is not hidden.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedResult {
  /** Due-to-answer time of every 2xx answer, ms. */
  readonly latencies: number[];
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly statusCodes: Record<string, number>;
  /** 2xx answers per second over the run. */
  readonly rps: number;
  /** Requests sent (all answered: the run waits for stragglers). */
  readonly sent: number;
}

/** One answer, for callers that need more than the latency list (e.g. when it was due). */
export interface PacedAnswer {
  /** performance.now() when the request was due. */
  readonly due: number;
  readonly latency: number;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export async function pacedLoad(
  url: string,
  path: string,
  body: () => string,
  shape: { connections: number; rate: number; seconds: number },
  onAnswer?: (answer: PacedAnswer) => void,
): Promise<PacedResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: shape.connections });
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let sent = 0;
  const total = Math.round(shape.rate * shape.seconds);
  const interval = 1000 / shape.rate;
  const inFlight = new Set<Promise<void>>();

  const send = (due: number): void => {
    const payload = body();
    const done = new Promise<void>((resolve) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            statusCodes[status] = (statusCodes[status] ?? 0) + 1;
            const latency = performance.now() - due;
            if (status >= 200 && status < 300) {
              ok++;
              latencies.push(latency);
            }
            onAnswer?.({ due, latency, status, headers: res.headers });
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        onAnswer?.({ due, latency: performance.now() - due, status: 0, headers: {} });
        resolve();
      });
      req.end(payload);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(start + sent++ * interval);
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  while (inFlight.size > 0) await Promise.all(inFlight);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const non2xx = Object.entries(statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
  return { latencies, ok, non2xx, errors, statusCodes, rps: ok / seconds, sent };
}
