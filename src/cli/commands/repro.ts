import { Command, InvalidArgumentError } from 'commander';
import type { ReproEvent, ReproReport, StageReport } from '../../pipeline/index.js';
import type { GlobalOptions } from '../context.js';
import { printJson } from '../output.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** One line for a finished stage, as `dvc repro` words it. */
export function describeStage(r: StageReport): string {
  const why = r.reasons.join('; ');
  switch (r.status) {
    case 'skipped':
      return why === 'up to date'
        ? `Stage '${r.name}' didn't change, skipping`
        : `Stage '${r.name}' skipped (${why})`;
    case 'would-run':
      return `Would run stage '${r.name}': ${why}`;
    case 'cache-hit':
      return `Stage '${r.name}' is cached: ${why}`;
    case 'ran':
      return `Stage '${r.name}' done in ${seconds(r.durationMs)}${r.worker ? ` on ${r.worker}` : ''}`;
    case 'failed':
      return `Stage '${r.name}' FAILED (${r.error ?? `exit code ${r.exitCode ?? '?'}`})${r.logFile ? `; log: ${r.logFile}` : ''}`;
    case 'not-run':
      return `Stage '${r.name}' not run: ${why}`;
  }
}

export function reproCommand(): Command {
  return new Command('repro')
    .description(
      'Reproduce the pipeline in mlops.yaml: run the stages whose command, deps, params or outs changed since mlops.lock (restoring from the run-cache where these inputs ran before)',
    )
    .argument('[stages...]', 'stages to reproduce with their upstream (`train` selects train@*)')
    .option('-f, --force', 'run the selected stages even when up to date')
    .option('--dry', 'print what would run and why; run nothing')
    .option('--downstream', 'the given stages and everything downstream of them')
    .option('-j, --jobs <n>', 'stages to run at once', positiveInt, 1)
    .option(
      '--executor <kind>',
      'local (child processes) or queue (mlops worker processes)',
      'local',
    )
    .option('--queue <name>', 'queue name for --executor queue', 'mlops')
    .option('--remote <name>', 'remote shared with the workers (--executor queue)')
    .option('--experiment <name>', 'experiment of the pipeline run', 'pipeline')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops repro\n  mlops repro --dry\n  mlops repro train --force\n  mlops repro -j 3\n  mlops repro --executor queue --queue mlops',
    )
    .action(async (targets: string[], opts: ReproFlags, command: Command) => {
      if (opts.executor !== 'local' && opts.executor !== 'queue') {
        command.error(`--executor must be local or queue (got '${opts.executor}')`);
      }
      const { reproJob } = await import('../../app/index.js');
      const globals = command.optsWithGlobals<GlobalOptions>();
      const parallel = opts.jobs > 1 || opts.executor === 'queue';
      const onEvent = opts.json ? undefined : (e: ReproEvent) => printEvent(e, parallel);
      const report = await reproJob({
        targets,
        force: opts.force === true,
        dry: opts.dry === true,
        downstream: opts.downstream === true,
        jobs: opts.jobs,
        executor: opts.executor,
        queue: opts.queue,
        experiment: opts.experiment,
        ...(globals.trackingUri === undefined ? {} : { trackingUri: globals.trackingUri }),
        ...(opts.remote === undefined ? {} : { remote: opts.remote }),
        ...(onEvent === undefined ? {} : { onEvent }),
      });
      if (opts.json) printJson(report);
      else printSummary(report);
      if (report.failed) {
        const { MlopsError } = await import('../../core/index.js');
        const f = report.failed;
        const notRun = report.stages.filter((s) => s.status === 'not-run').map((s) => s.name);
        throw new MlopsError(
          'STAGE_FAILED',
          `Stage '${f.name}' failed (${f.error ?? `exit code ${f.exitCode ?? '?'}`})${f.logFile ? `; its log: ${f.logFile}` : ''}.${notRun.length > 0 ? ` Not run: ${notRun.join(', ')}.` : ''} Fix it and run \`mlops repro\` again: finished stages are kept.`,
          { details: { stage: f.name, ...(f.logFile ? { log: f.logFile } : {}) } },
        );
      }
    });
}

interface ReproFlags {
  force?: boolean;
  dry?: boolean;
  downstream?: boolean;
  jobs: number;
  executor: string;
  queue: string;
  remote?: string;
  experiment: string;
  json?: boolean;
}

function printEvent(e: ReproEvent, parallel: boolean): void {
  if (e.type === 'start') {
    const shown = e.commands.map((c) => `> ${c}\n`).join('');
    process.stdout.write(`Running stage '${e.stage}' (${e.reasons.join('; ')}):\n${shown}`);
  } else if (e.type === 'line') {
    const text = parallel ? `[${e.stage}] ${e.line}\n` : `${e.line}\n`;
    (e.stream === 'stderr' ? process.stderr : process.stdout).write(text);
  } else {
    process.stdout.write(`${describeStage(e.report)}\n`);
  }
}

function printSummary(report: ReproReport): void {
  const count = (status: StageReport['status']) =>
    report.stages.filter((s) => s.status === status).length;
  const parts = report.dry
    ? [`${count('would-run')} would run`, `${count('skipped')} up to date or skipped`]
    : [
        `${count('ran')} ran`,
        `${count('cache-hit')} restored from cache`,
        `${count('skipped')} skipped`,
        ...(count('failed') > 0 ? [`${count('failed')} failed`] : []),
        ...(count('not-run') > 0 ? [`${count('not-run')} not run`] : []),
      ];
  process.stdout.write(`\n${parts.join(', ')}.`);
  if (report.pipelineRunId) {
    process.stdout.write(
      ` Pipeline run ${report.pipelineRunId} (mlops runs show ${report.pipelineRunId}).`,
    );
  }
  if (!report.dry && !report.failed && count('ran') + count('cache-hit') > 0) {
    process.stdout.write(' Commit mlops.lock to record it.');
  }
  process.stdout.write('\n');
}
