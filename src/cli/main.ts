import { Command, CommanderError } from 'commander';
import { corruptDatabaseError, MlopsError, type ErrorCode } from '../core/index.js';
import { artifactsCommand } from './commands/artifacts.js';
import { dataCommand } from './commands/data.js';
import { dbCommand } from './commands/db.js';
import { experimentsCommand } from './commands/experiments.js';
import { forecastCommand } from './commands/forecast.js';
import { lineageCommand } from './commands/lineage.js';
import { modelsCommand } from './commands/models.js';
import { quickstartCommand } from './commands/quickstart.js';
import { runsCommand } from './commands/runs.js';
import { reproCommand } from './commands/repro.js';
import { dagCommand } from './commands/dag.js';
import { initCommand } from './commands/init.js';
import { stepCommand } from './commands/step.js';
import { workerCommand } from './commands/worker.js';
import { paramsCommand } from './commands/params.js';
import { metricsCommand } from './commands/metrics.js';
import { plotsCommand } from './commands/plots.js';
import { serverCommand } from './commands/server.js';
import { serveCommand } from './commands/serve.js';
import { usersCommand } from './commands/users.js';
import { deployCommand } from './commands/deploy.js';
import { monitorCommand } from './commands/monitor.js';

/**
 * The one error -> exit code table. 0 success, 1 internal, 2 usage and bad input, 3 not found,
 * 4 already exists, 5 database state, 6 I/O and byte store, 7 data failed its contract,
 * 8 a pipeline stage failed, 9 not authenticated or not permitted.
 * Documented in docs/errors.md.
 */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  INVALID_PARAMETER_VALUE: 2,
  BAD_REQUEST: 2,
  UNSUPPORTED_URI: 2,
  RESOURCE_DOES_NOT_EXIST: 3,
  BLOB_NOT_FOUND: 3,
  RESOURCE_ALREADY_EXISTS: 4,
  INVALID_STATE: 5,
  DATABASE_CORRUPT: 5,
  DATABASE_UNREACHABLE: 5,
  SCHEMA_TOO_NEW: 5,
  SCHEMA_OUT_OF_DATE: 5,
  NOT_AN_MLOPS_DATABASE: 5,
  BLOB_CORRUPT: 6,
  PACKAGE_CORRUPT: 6,
  IO_ERROR: 6,
  DATA_CONTRACT_FAILED: 7,
  STAGE_FAILED: 8,
  UNAUTHENTICATED: 9,
  PERMISSION_DENIED: 9,
  ENDPOINT_NOT_FOUND: 3,
  PAYLOAD_TOO_LARGE: 2,
  TEMPORARILY_UNAVAILABLE: 6,
  MODEL_SIGNATURE_MISMATCH: 2,
  INTERNAL_ERROR: 1,
};
export const USAGE_EXIT_CODE = 2;

export function buildProgram(): Command {
  const program = new Command('mlops')
    .description(
      'End-to-end MLOps: tracking, data versioning, pipelines, registry, serving, monitoring.',
    )
    .option(
      '--tracking-uri <uri>',
      'sqlite:<path>, postgresql://... or http://host:port of a server (default: MLOPS_TRACKING_URI, else .mlops/mlops.db)',
    )
    .option('--auto-upgrade', 'apply pending PostgreSQL schema migrations on open')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      '\nExamples:\n  mlops quickstart\n  mlops runs search --filter "metrics.rmse < 3" --order-by "metrics.rmse ASC"\n  mlops lineage runs:/<run-id>',
    );
  for (const command of [
    quickstartCommand(),
    initCommand(),
    experimentsCommand(),
    runsCommand(),
    forecastCommand(),
    artifactsCommand(),
    dataCommand(),
    reproCommand(),
    dagCommand(),
    paramsCommand(),
    metricsCommand(),
    plotsCommand(),
    stepCommand(),
    lineageCommand(),
    modelsCommand(),
    serveCommand(),
    monitorCommand(),
    serverCommand(),
    usersCommand(),
    dbCommand(),
    workerCommand(),
    deployCommand(),
  ]) {
    program.addCommand(command);
  }
  for (const sub of program.commands) {
    sub.exitOverride();
    for (const leaf of sub.commands) leaf.exitOverride();
  }
  return program;
}

/** Runs the CLI; sets process.exitCode from the table instead of exiting, so output is flushed. */
export async function main(argv: readonly string[]): Promise<void> {
  // `mlops data log | head`: the reader went away; stop quietly as other CLIs do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  // The AWS SDK warns on Node < 22 about its own future releases; our SDK version is pinned, so
  // the warning is noise on every S3 command (users can still set the variable to false).
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

export function exitCodeFor(thrown: unknown): number {
  const err = corruptDatabaseError(thrown) ?? thrown;
  if (err instanceof CommanderError) {
    // Help and version are successes that commander reports by throwing.
    return err.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
  }
  if (MlopsError.is(err)) {
    process.stderr.write(`error [${err.code}]: ${err.message}\n`);
    return EXIT_CODES[err.code];
  }
  process.stderr.write(
    `internal error: ${(err as Error)?.stack ?? String(err)}\nPlease report this as a bug.\n`,
  );
  return EXIT_CODES.INTERNAL_ERROR;
}
