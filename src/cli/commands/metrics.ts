import { Command } from 'commander';
import { formatCell, printJson, printTable } from '../output.js';

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

  cmd
    .command('diff [a] [b]')
    .description(
      'Metrics at revision a (default HEAD) against b (default the workspace), with the change; changed metrics only',
    )
    .option('--all', 'list unchanged metrics too')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nThe change is rounded to 5 significant digits (--json gives exact values).\n\nExamples:\n  mlops metrics diff\n  mlops metrics diff HEAD~1 --all\n  mlops metrics diff v1.0 main --json',
    )
    .action(
      async (
        a: string | undefined,
        b: string | undefined,
        opts: { all?: boolean; json?: boolean },
      ) => {
        const { metricsDiffJob } = await import('../../app/index.js');
        const diff = await metricsDiffJob({
          ...(a === undefined ? {} : { a }),
          ...(b === undefined ? {} : { b }),
          all: opts.all === true,
        });
        if (opts.json) return printJson(diff);
        if (diff.rows.length === 0) {
          process.stdout.write(
            `No ${opts.all ? '' : 'changed '}metrics between ${diff.a.rev} and ${diff.b.rev}.\n`,
          );
        } else {
          printTable(
            ['PATH', 'METRIC', diff.a.rev, diff.b.rev, 'CHANGE'],
            diff.rows.map((r) => [
              r.path,
              r.key,
              r.old === null ? '-' : formatCell(r.old),
              r.new === null ? '-' : formatCell(r.new),
              r.change === null ? '-' : String(Number(r.change.toPrecision(5))),
            ]),
          );
        }
        for (const m of diff.missing) process.stdout.write(`${m.path}: missing at ${m.rev}\n`);
      },
    );
  return cmd;
}
