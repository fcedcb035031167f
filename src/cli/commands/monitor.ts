import { Command, InvalidArgumentError } from 'commander';
import { DURATION_FORMS, invalidParam, parseDuration } from '../../core/index.js';
import type { MonitorCheckResult, MonitorRunResult } from '../../app/index.js';
import { withClient, type GlobalOptions } from '../context.js';
import { formatCell, formatTime, printJson, printTable } from '../output.js';

/** `mlops monitor check` exits with this when a condition failed or could not be evaluated. */
export const CHECKS_FAILED_EXIT_CODE = 1;

function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`expected ${DURATION_FORMS}.`);
  return ms;
}

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`expected an integer >= ${min}.`);
    return n;
  };
}

interface ReportFlags {
  reference: string;
  current: string;
  model?: string;
  last?: number;
  since?: number;
  window?: number;
  html?: string;
  out?: string;
  json?: boolean;
}

/** `mlops monitor report|check|run|history`: thin over app/monitoring. */
export function monitorCommand(): Command {
  const cmd = new Command('monitor').description(
    'Monitoring: drift, data quality and live accuracy of a served model; checks, snapshots and actions (monitor.yaml)',
  );

  cmd
    .command('report')
    .description(
      'Compare current data (a file or the inference log) with a reference and write a report',
    )
    .requiredOption(
      '--reference <file|models:/...>',
      'a CSV file or models:/<name>@<alias> (its reference sample)',
    )
    .requiredOption(
      '--current <file|inference-log>',
      "a CSV file, or 'inference-log' (the served window of --model)",
    )
    .option(
      '--model <models:/...>',
      'the served model: its window size, its log, its registered scores',
    )
    .option('--last <n>', 'inference log: the newest n predictions', integer(0))
    .option(
      '--since <duration>',
      'inference log: predictions of the last 30s, 15m, 6h, 7d',
      duration,
    )
    .option(
      '--window <n>',
      'closes per feature window for price files without a model (default 60)',
      integer(2),
    )
    .option('--html <file>', 'write the HTML report here')
    .option('--out <file>', 'write the JSON report here')
    .option('--json', 'print the report JSON on stdout')
    .addHelpText(
      'after',
      `
A CSV with a Close column is a price series: each window of closes becomes one row of the
monitored features (last_close, last_log_return, return_5d, volatility_20d, mean_log_return).
Other CSVs are compared column by column.

Examples:
  mlops monitor report --reference models:/stock-forecast@champion --current inference-log --last 60 --html reports/monitor.html
  mlops monitor report --reference data/train.csv --current data/latest.csv --json`,
    )
    .action(async (opts: ReportFlags, command: Command) => {
      await withClient(command, async (client) => {
        const { monitorReport } = await import('../../app/index.js');
        const { report, files } = await monitorReport(client, {
          reference: opts.reference,
          current: opts.current,
          ...(opts.model === undefined ? {} : { model: opts.model }),
          ...(opts.last === undefined ? {} : { last: opts.last }),
          ...(opts.since === undefined ? {} : { since: Date.now() - opts.since }),
          ...(opts.window === undefined ? {} : { window: opts.window }),
          ...(opts.html === undefined ? {} : { html: opts.html }),
          ...(opts.out === undefined ? {} : { json: opts.out }),
        });
        if (opts.json) return printJson(report);
        printReport(report, files);
      });
    });

  cmd
    .command('check')
    .description(
      `Evaluate monitor.yaml's checks on its window; exit ${CHECKS_FAILED_EXIT_CODE} when one fails (a CI gate)`,
    )
    .requiredOption('--config <file>', 'monitor.yaml')
    .option('--json', 'print { passed, checks, report_path } as JSON')
    .addHelpText(
      'after',
      `
Exit codes: 0 every check passed; ${CHECKS_FAILED_EXIT_CODE} a check failed or could not be evaluated (checks failed);
2 bad input or config (the message names the file, line and key). Nothing is stored.

Example:
  mlops monitor check --config monitor.yaml || echo "checks failed"`,
    )
    .action(async (opts: { config: string; json?: boolean }, command: Command) => {
      const { monitorCheck } = await import('../../app/index.js');
      const result = await monitorCheck(opts.config, jobOptions(command));
      if (opts.json) {
        printJson({
          passed: result.passed,
          checks: result.checks,
          report_path: reportPath(result),
        });
      } else {
        printReport(result.report, result.files, { checks: false });
        printChecks(result.checks);
      }
      if (!result.passed) process.exitCode = CHECKS_FAILED_EXIT_CODE;
    });

  cmd
    .command('run')
    .description(
      "Snapshot monitor.yaml's window: store it, record lineage, fire actions when checks fail",
    )
    .requiredOption('--config <file>', 'monitor.yaml')
    .option(
      '--schedule [cron]',
      "keep running: one run per cron tick (croner syntax; no value: monitor.yaml's schedule), until Ctrl-C",
    )
    .option(
      '--json',
      'print { snapshot, report_path, actions } as JSON (one line per run with --schedule)',
    )
    .addHelpText(
      'after',
      `
Exits 0 when the snapshot was stored, even if checks failed (the actions say what happened);
\`mlops monitor check\` is the command that exits non-zero on failed checks.

Examples:
  mlops monitor run --config monitor.yaml
  mlops monitor run --config monitor.yaml --schedule "*/15 * * * *"
  mlops monitor run --config monitor.yaml --schedule     (the schedule in monitor.yaml)`,
    )
    .action(
      async (
        opts: { config: string; schedule?: string | true; json?: boolean },
        command: Command,
      ) => {
        const { monitorRun } = await import('../../app/index.js');
        const once = async () => {
          const result = await monitorRun(opts.config, {
            ...jobOptions(command),
            ...(opts.json ? {} : { progress: (line: string) => process.stderr.write(`${line}\n`) }),
          });
          if (opts.json) {
            const value = {
              snapshot: result.snapshot,
              report_path: reportPath(result),
              actions: result.actions,
            };
            process.stdout.write(`${JSON.stringify(value, null, opts.schedule ? undefined : 2)}\n`);
          } else {
            printRun(result);
          }
        };
        if (opts.schedule === undefined) return once();
        await scheduled(await schedulePattern(opts.config, opts.schedule), once);
      },
    );

  cmd
    .command('history')
    .description('Stored snapshots, newest first')
    .option('--monitor <name>', 'only this monitor')
    .option('--limit <n>', 'at most n snapshots', integer(1), 20)
    .option('--json', 'print JSON')
    .action(async (opts: { monitor?: string; limit: number; json?: boolean }, command: Command) => {
      await withClient(command, async (client) => {
        const { monitorHistory } = await import('../../app/index.js');
        const snapshots = await monitorHistory(client, {
          ...(opts.monitor === undefined ? {} : { monitor: opts.monitor }),
          limit: opts.limit,
        });
        if (opts.json) return printJson({ snapshots });
        printTable(
          ['SNAPSHOT', 'CREATED', 'MONITOR', 'MODEL', 'ROWS', 'DRIFT', 'SHARE', 'CHECKS'],
          snapshots.map((s) => [
            s.id,
            formatTime(s.createdAt),
            s.monitor,
            s.modelName ? `${s.modelName}/${s.modelVersion ?? '?'}` : '',
            s.rows,
            s.datasetDrift ? 'yes' : 'no',
            s.driftedShare,
            s.checks.length === 0 ? '' : s.passed ? 'passed' : 'FAILED',
          ]),
        );
      });
    });
  return cmd;
}

function jobOptions(command: Command) {
  const globals = command.optsWithGlobals<GlobalOptions>();
  return {
    ...(globals.trackingUri ? { trackingUri: globals.trackingUri } : {}),
    autoUpgrade: globals.autoUpgrade ?? false,
  };
}

function reportPath(result: MonitorCheckResult): string | null {
  return result.files.html ?? result.files.json ?? null;
}

/** `--schedule <cron>`, or with no value the config's `schedule`. */
async function schedulePattern(config: string, flag: string | true): Promise<string> {
  if (flag !== true) return flag;
  const { loadMonitorConfig } = await import('../../monitoring/index.js');
  const { schedule } = await loadMonitorConfig(config);
  if (schedule === undefined) {
    throw invalidParam(
      `--schedule without a pattern uses monitor.yaml's schedule, and ${config} has none; add \`schedule: "*/15 * * * *"\` or pass --schedule "<cron>".`,
      { option: 'schedule', file: config },
    );
  }
  return schedule;
}

/**
 * Runs `job` on every tick of `pattern` until SIGINT/SIGTERM. croner's `protect` skips a tick
 * while the previous run is still going, so runs never overlap; a failed run prints its error
 * and the schedule goes on.
 */
async function scheduled(pattern: string, job: () => Promise<void>): Promise<void> {
  const { Cron } = await import('croner');
  let cron: InstanceType<typeof Cron>;
  // The run in progress, so that stopping waits for it rather than cutting it short.
  let current: Promise<void> | undefined;
  const tick = async () => {
    try {
      await job();
    } catch (err) {
      // Printed as main would; a scheduled monitor keeps going.
      const e = err as Error & { code?: string };
      process.stderr.write(`error${e.code ? ` [${e.code}]` : ''}: ${e.message}\n`);
    }
  };
  try {
    cron = new Cron(pattern, { protect: true }, () => {
      current = tick();
      return current;
    });
  } catch (err) {
    throw invalidParam(`--schedule '${pattern}' is not a cron pattern: ${(err as Error).message}`, {
      option: 'schedule',
    });
  }
  const next = cron.nextRun();
  process.stderr.write(
    `monitor run scheduled '${pattern}'${next ? `, next at ${next.toISOString()}` : ''}; Ctrl-C stops\n`,
  );
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      cron.stop();
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await current;
  process.stderr.write('monitor schedule stopped\n');
}

type MonitorReport = MonitorCheckResult['report'];
type ConditionResult = MonitorCheckResult['checks'][number];
type ActionOutcome = MonitorRunResult['actions'][number];

const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : formatCell(v));

/** The readable block: dataset drift, per-column table, prediction drift, quality, performance, notes. */
function printReport(
  report: MonitorReport,
  files: { html?: string; json?: string },
  options: { checks?: boolean } = {},
): void {
  const out = process.stdout;
  const d = report.dataDrift;
  out.write(`${report.title}\n`);
  out.write(`  reference ${report.reference.uri} (${report.reference.rows} rows)\n`);
  out.write(
    `  current   ${report.current.uri} (${report.current.rows} rows${report.current.description ? `: ${report.current.description}` : ''})\n\n`,
  );
  out.write(
    `Dataset drift: ${d.datasetDrift ? 'YES' : 'no'} — ${d.driftedColumns} of ${d.testedColumns} tested columns drifted (share ${num(d.driftedShare)}, drift at >= ${d.driftShare})\n`,
  );
  printTable(
    ['COLUMN', 'KIND', 'TEST', 'SCORE', 'THRESHOLD', 'DRIFTED', 'PROBLEM'],
    d.columns.map((c) => [
      c.column,
      c.kind,
      c.test,
      c.status === 'ok' ? num(c.score) : 'error',
      c.threshold,
      c.status === 'ok' ? (c.drifted ? 'yes' : 'no') : '',
      c.problem ?? '',
    ]),
  );
  for (const p of d.problems) out.write(`  problem: ${p}\n`);
  const pd = report.predictionDrift;
  if (pd) {
    out.write(
      `\nPrediction drift: ${pd.status === 'ok' ? `${pd.drifted ? 'YES' : 'no'} (${pd.test} ${num(pd.score)}, threshold ${pd.threshold})` : `not tested: ${pd.problem ?? ''}`}\n`,
    );
  }
  const q = report.dataQuality;
  if (q) {
    const errors = q.contract.filter((c) => c.severity === 'error').length;
    out.write(
      `Data quality: missing share ${num(q.missingShare)}, ${q.schema.length} schema violations, contract ${errors} errors / ${q.contract.length - errors} warnings\n`,
    );
    for (const v of [...q.schema, ...q.contract].slice(0, 10)) out.write(`  - ${v.message}\n`);
  }
  const p = report.performance;
  if (p) {
    const o = p.overall;
    out.write(
      `Performance (${o.count} scored, ${p.unscored} without feedback): MAE ${num(o.mae)}, RMSE ${num(o.rmse)}, MAPE ${o.mape === null ? 'n/a' : `${num(100 * o.mape)}%`}, skill ${num(o.skill)}${p.registered?.rmse !== undefined ? ` (registered RMSE ${num(p.registered.rmse)})` : ''}\n`,
    );
  }
  if (report.notes.length > 0) {
    out.write('\nNotes:\n');
    for (const n of report.notes) out.write(`  - ${n}\n`);
  }
  if (options.checks !== false && report.checks.length > 0) printChecks(report.checks);
  const where = [files.html, files.json].filter((f): f is string => f !== undefined);
  if (where.length > 0) out.write(`\nReport: ${where.join(', ')}\n`);
}

function printChecks(checks: readonly ConditionResult[]): void {
  process.stdout.write('\n');
  if (checks.length === 0) {
    process.stdout.write('No checks configured.\n');
    return;
  }
  printTable(
    ['CHECK', 'STATUS', 'ACTUAL', 'MESSAGE'],
    checks.map((c) => [c.name, c.status.toUpperCase(), c.actual, c.message]),
  );
  const failed = checks.filter((c) => c.status !== 'pass').length;
  process.stdout.write(
    failed === 0 ? 'All checks passed.\n' : `${failed} of ${checks.length} checks failed.\n`,
  );
}

function printRun(result: MonitorRunResult): void {
  const s = result.snapshot;
  const out = process.stdout;
  out.write(
    `Snapshot ${s.id} of ${s.monitor}${s.modelName ? ` (${s.modelName} version ${s.modelVersion})` : ''}: ${s.rows} predictions, dataset drift ${s.datasetDrift ? 'YES' : 'no'} (share ${num(s.driftedShare)}), checks ${s.checks.length === 0 ? 'none' : s.passed ? 'passed' : 'FAILED'}\n`,
  );
  for (const n of result.report.notes) out.write(`  note: ${n}\n`);
  if (s.checks.length > 0) printChecks(s.checks);
  printActions(result.actions);
  const path = reportPath(result);
  if (path) out.write(`Report: ${path}\n`);
}

function printActions(actions: readonly ActionOutcome[]): void {
  if (actions.length === 0) return;
  process.stdout.write('\n');
  printTable(
    ['ACTION', 'STATUS', 'RUN', 'DETAIL'],
    actions.map((a) => [a.action, a.status, a.runId ?? '', a.detail]),
  );
}
