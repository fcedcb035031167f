import { Command, InvalidArgumentError } from 'commander';
import type { WorkerEvent } from '../../pipeline/index.js';
import type { GlobalOptions } from '../context.js';

interface WorkerFlags {
  queue: string;
  concurrency: number;
  redisUrl?: string;
  workDir?: string;
  name?: string;
  lockDuration?: number;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new InvalidArgumentError('expected a whole number from 1 to 256.');
  }
  return n;
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected seconds > 0.');
  return n;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** The line a worker prints for one of its events. */
export function describeWorkerEvent(id: string, e: WorkerEvent): string {
  switch (e.type) {
    case 'taken':
      return `worker ${id} took stage '${e.stage}' (job ${e.jobId}, attempt ${e.attempt})`;
    case 'finished':
      return e.cancelled
        ? `worker ${id} stopped stage '${e.stage}' (job ${e.jobId}): cancelled by the coordinator`
        : `worker ${id} finished stage '${e.stage}' (job ${e.jobId}): exit code ${e.exitCode} in ${seconds(e.durationMs)}, ${e.outs} out${e.outs === 1 ? '' : 's'} stored`;
    case 'released':
      return `worker ${id} put stage '${e.stage}' (job ${e.jobId}) back in the queue`;
    case 'failed':
      return `worker ${id} could not run stage '${e.stage}' (job ${e.jobId}): ${e.message}; the queue retries it`;
    case 'error':
      return `worker ${id}: ${e.message}`;
  }
}

export function workerCommand(): Command {
  return new Command('worker')
    .description(
      'Run pipeline stages for `mlops repro --executor queue`: take stage jobs from a Redis queue, fetch their deps from the shared remote, run them, push their outs back',
    )
    .option('--queue <name>', 'queue to take stage jobs from', 'mlops')
    .option('--concurrency <n>', 'stages to run at once', positiveInt, 1)
    .option(
      '--redis-url <url>',
      'Redis server (default: MLOPS_REDIS_URL, else redis://127.0.0.1:6379)',
    )
    .option(
      '--work-dir <dir>',
      'where private stage directories go (default: the OS temp directory)',
    )
    .option('--name <name>', 'worker name shown in stage reports (default: <hostname>:<pid>)')
    .option(
      '--lock-duration <seconds>',
      'how soon a stage of a worker that died is retried elsewhere (default: 15)',
      positiveSeconds,
    )
    .addHelpText(
      'after',
      `
S3 credentials come from this machine's environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or
AWS profile, never from the queue. Stages that log to tracking use --tracking-uri (or
MLOPS_TRACKING_URI) when given, else the coordinator's. Ctrl-C (SIGINT) or SIGTERM: finish the
running stages and stop; a second time: stop them and put them back in the queue.

Examples:
  mlops worker
  mlops worker --queue gpu --concurrency 2 --redis-url redis://queue.internal:6379
  mlops --tracking-uri postgresql://mlops@db/mlops worker`,
    )
    .action(async (opts: WorkerFlags, command: Command) => {
      const { runWorker } = await import('../../pipeline/index.js');
      const globals = command.optsWithGlobals<GlobalOptions>();
      let id = opts.name ?? '';
      let lastError = '';
      const print = (e: WorkerEvent) => {
        const line = describeWorkerEvent(id, e);
        if (e.type === 'error' || e.type === 'failed') {
          if (line === lastError) return; // a Redis outage repeats itself every second
          lastError = line;
          process.stderr.write(line + '\n');
        } else {
          lastError = '';
          process.stdout.write(line + '\n');
        }
      };
      const worker = await runWorker({
        queue: opts.queue,
        concurrency: opts.concurrency,
        ...(opts.redisUrl === undefined ? {} : { redisUrl: opts.redisUrl }),
        ...(opts.workDir === undefined ? {} : { workDir: opts.workDir }),
        ...(opts.name === undefined ? {} : { name: opts.name }),
        ...(opts.lockDuration === undefined
          ? {}
          : { lockDurationMs: Math.round(opts.lockDuration * 1000) }),
        ...(globals.trackingUri === undefined
          ? {}
          : { env: { MLOPS_TRACKING_URI: globals.trackingUri } }),
        onEvent: print,
      });
      id = worker.id;
      let signals = 0;
      const onSignal = () => {
        signals += 1;
        if (signals === 1) {
          process.stdout.write(
            worker.running > 0
              ? `worker ${id} stopping: finishing ${worker.running} running stage${worker.running === 1 ? '' : 's'} (signal again to put ${worker.running === 1 ? 'it' : 'them'} back in the queue)\n`
              : `worker ${id} stopping\n`,
          );
          void worker.close();
        } else {
          void worker.close({ release: true });
        }
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      process.stdout.write(
        `worker ${id} waiting for stage jobs on queue '${worker.queue}' (redis ${worker.redisUrl})\n`,
      );
      try {
        await worker.closed;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      process.stdout.write(`worker ${id} stopped\n`);
    });
}
