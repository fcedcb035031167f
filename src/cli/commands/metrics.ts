import { Command } from 'commander';
import { formatCell, printJson, printTable } from '../output.js';
import { revisionDiffCommand } from './revision-diff-command.js';

export function metricsCommand(): Command {
  const cmd = new Command('metrics')
    .description(
      'Show and compare the metrics files pipeline stages write (the numeric leaves of JSON/YAML files)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  mlops metrics show\n  mlops metrics diff\n  mlops metrics diff HEAD~1 HEAD --all',
    );

  cmd
    .command('show')
    .description("Every metric of the metrics files mlops.lock lists (default: the workspace's)")
    .option('--rev <rev>', 'read the files and the lock at this git revision')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops metrics show\n  mlops metrics show --rev HEAD~1 --json',
    )
    .action(async (opts: { rev?: string; json?: boolean }) => {
      const { metricsShowJob } = await import('../../app/index.js');
      const shown = await metricsShowJob(opts.rev === undefined ? {} : { rev: opts.rev });
      if (opts.json) return printJson(shown);
      printTable(
        ['PATH', 'METRIC', 'VALUE'],
        shown.metrics.map((m) => [m.path, m.key, m.value]),
      );
      for (const path of shown.missing) {
        process.stdout.write(`${path}: missing at ${shown.rev}\n`);
      }
    });

  revisionDiffCommand(cmd, {
    noun: 'metrics',
    description:
      'Metrics at revision a (default HEAD) against b (default the workspace), with the change; changed metrics only',
    helpText:
      '\nThe change is rounded to 5 significant digits (--json gives exact values).\n\nExamples:\n  mlops metrics diff\n  mlops metrics diff HEAD~1 --all\n  mlops metrics diff v1.0 main --json',
    diff: async (pair) => (await import('../../app/index.js')).metricsDiffJob(pair),
    table: (diff) => [
      ['PATH', 'METRIC', diff.a.rev, diff.b.rev, 'CHANGE'],
      diff.rows.map((r) => [
        r.path,
        r.key,
        r.old === null ? '-' : formatCell(r.old),
        r.new === null ? '-' : formatCell(r.new),
        r.change === null ? '-' : String(Number(r.change.toPrecision(5))),
      ]),
    ],
    after: (diff) => {
      for (const m of diff.missing) process.stdout.write(`${m.path}: missing at ${m.rev}\n`);
    },
  });
  return cmd;
}
