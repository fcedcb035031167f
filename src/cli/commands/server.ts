import { Command, InvalidArgumentError } from 'commander';
import { closeOnSignal, type GlobalOptions } from '../context.js';

interface ServerFlags {
  host: string;
  port: number;
  backendStoreUri?: string;
  artifactsDestination?: string;
  auth?: boolean;
  defaultPermission?: string;
  allowedHosts?: string;
  logRequests?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free one).');
  }
  return n;
}

export function serverCommand(): Command {
  return new Command('server')
    .description(
      'Run the tracking server: the MLflow REST API (MLflow clients work against it), mlops routes, /health, /metrics, /api/openapi.json',
    )
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: a free one)', port, 5000)
    .option(
      '--backend-store-uri <uri>',
      'sqlite:<path> or postgresql://... (default: --tracking-uri, MLOPS_TRACKING_URI, else .mlops/mlops.db)',
    )
    .option(
      '--artifacts-destination <uri>',
      'a directory or s3://bucket/prefix for artifact bytes (default: MLOPS_ARTIFACT_URI, else .mlops/blobs)',
    )
    .option(
      '--auth',
      'require users: passwords (HTTP Basic) or tokens (Bearer), permissions per experiment',
    )
    .option(
      '--default-permission <p>',
      'with --auth: what users hold on experiments nobody granted them (NO_PERMISSIONS, READ, EDIT, MANAGE)',
      'READ',
    )
    .option(
      '--allowed-hosts <names>',
      'comma-separated Host names to answer besides localhost ones',
    )
    .option('--log-requests', 'log every request (JSON lines on stdout)')
    .addHelpText(
      'after',
      `
Clients: MLflow's (MLFLOW_TRACKING_URI=http://host:port) and mlops's own (MLOPS_TRACKING_URI=http://host:port).
With --auth the first start needs MLOPS_ADMIN_PASSWORD (creates user "admin"); then
\`mlops users create|token|grant\` manage users. Binding to a non-loopback address without --auth
prints a warning: anyone who can reach it may change everything.

Examples:
  mlops server
  mlops server --port 5001 --backend-store-uri postgresql://mlops@db:5432/mlops --artifacts-destination s3://ml/artifacts
  MLOPS_ADMIN_PASSWORD=... mlops server --host 0.0.0.0 --auth`,
    )
    .action(async (opts: ServerFlags, command: Command) => {
      const { startServer } = await import('../../server/index.js');
      const globals = command.optsWithGlobals<GlobalOptions>();
      const backend = opts.backendStoreUri ?? globals.trackingUri;
      const server = await startServer({
        host: opts.host,
        port: opts.port,
        ...(backend ? { backendStoreUri: backend } : {}),
        ...(opts.artifactsDestination ? { artifactsDestination: opts.artifactsDestination } : {}),
        auth: opts.auth ?? false,
        ...(opts.defaultPermission ? { defaultPermission: opts.defaultPermission } : {}),
        allowedHosts: (opts.allowedHosts ?? '')
          .split(',')
          .map((h) => h.trim())
          .filter(Boolean),
        logRequests: opts.logRequests ?? false,
      });
      process.stdout.write(`Listening on ${server.url}${opts.auth ? ' (auth on)' : ''}\n`);
      await closeOnSignal(server);
      process.stdout.write('Server stopped\n');
    });
}
