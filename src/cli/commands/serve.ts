import { Command, InvalidArgumentError } from 'commander';
import { closeOnSignal, type GlobalOptions } from '../context.js';

interface ServeFlags {
  host: string;
  port: number;
  pollInterval: number;
  inferenceLog: boolean;
  bodyLimit?: number;
  requestTimeout?: number;
  logRequests?: boolean;
}

function integer(min: number, max: number, what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected ${what} from ${min} to ${max}.`);
    }
    return n;
  };
}

export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'Serve a registered model over HTTP (/predict, /invocations, /feedback, /health, /ready, /metrics, /docs), following its alias and swapping versions without a restart',
    )
    .argument(
      '<model-uri>',
      'models:/<name>@<alias>, models:/<name>/<version> or models:/<name>/latest',
    )
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--port <port>',
      'port to listen on (0: a free one)',
      integer(0, 65_535, 'a port'),
      8080,
    )
    .option(
      '--poll-interval <ms>',
      'how often the alias is checked for a new version',
      integer(100, 3_600_000, 'milliseconds'),
      5000,
    )
    .option('--no-inference-log', 'do not record predictions in the store')
    .option('--body-limit <bytes>', 'largest request body (413 above)', integer(1024, 1e9, 'bytes'))
    .option(
      '--request-timeout <ms>',
      'answer 503 when a prediction takes longer',
      integer(1, 600_000, 'milliseconds'),
    )
    .option('--log-requests', 'log every request (JSON lines on stdout)')
    .addHelpText(
      'after',
      `
The registry and packages come from --tracking-uri / MLOPS_TRACKING_URI (a database, or a tracking
server with MLOPS_TRACKING_TOKEN), else the workspace's .mlops. Predictions and feedback go to the
same store's inference log, so \`mlops monitor\` can run on another host.

Examples:
  mlops serve models:/goog-lstm@champion
  MLOPS_TRACKING_URI=http://tracking:5000 mlops serve models:/goog-lstm@champion --host 0.0.0.0 --port 8080
  curl -s localhost:8080/predict -H 'content-type: application/json' -d '{"prices": [...]}'`,
    )
    .action(async (uri: string, opts: ServeFlags, command: Command) => {
      const { serveModel } = await import('../../app/index.js');
      const globals = command.optsWithGlobals<GlobalOptions>();
      const server = await serveModel({
        uri,
        ...(globals.trackingUri ? { trackingUri: globals.trackingUri } : {}),
        host: opts.host,
        port: opts.port,
        pollIntervalMs: opts.pollInterval,
        inferenceLog: opts.inferenceLog,
        ...(opts.bodyLimit !== undefined ? { bodyLimit: opts.bodyLimit } : {}),
        ...(opts.requestTimeout !== undefined ? { requestTimeoutMs: opts.requestTimeout } : {}),
        logRequests: opts.logRequests ?? false,
      });
      const served = server.slot.current;
      process.stdout.write(
        `Serving ${uri}${served ? ` (version ${served.version})` : ''} on ${server.url}\n`,
      );
      await closeOnSignal(server);
      process.stdout.write('Server stopped\n');
    });
}
