import { relative } from 'node:path';
import { Command } from 'commander';
import { printJson } from '../output.js';

interface InitOptions {
  dir: string;
  example?: string;
  preset?: string;
  data?: string;
  json?: boolean;
}

export function initCommand(): Command {
  return new Command('init')
    .description(
      'Make a directory an mlops workspace; with --example stock-forecast, a ready-to-run pipeline (versioned prices, mlops.yaml, params.yaml)',
    )
    .option('--dir <path>', 'workspace directory', '.')
    .option('--example <name>', 'write an example pipeline: stock-forecast')
    .option(
      '--preset <name>',
      'full (every row; default) or quick (the most recent 1,500 rows, few LSTM epochs)',
    )
    .option('--data <csv>', 'daily price CSV to import instead of the embedded S&P 500 data')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops init\n  mlops init --example stock-forecast --dir forecast && cd forecast && mlops repro\n  mlops init --example stock-forecast --preset quick',
    )
    .action(async (opts: InitOptions, command: Command) => {
      const { initExample, initWorkspace } = await import('../../app/index.js');
      const out = process.stdout;
      if (opts.example === undefined) {
        for (const flag of ['preset', 'data'] as const) {
          if (opts[flag] !== undefined) command.error(`--${flag} needs --example stock-forecast`);
        }
        const ws = await initWorkspace(opts.dir);
        if (opts.json) return printJson(ws);
        out.write(
          `${ws.created ? 'Created the workspace' : 'Already a workspace:'} ${ws.root} (state in .mlops/)\n` +
            'Next: mlops data add <file>, or write mlops.yaml and run mlops repro ' +
            '(mlops init --example stock-forecast writes one to start from).\n',
        );
        return;
      }
      const report = await initExample(opts.dir, {
        example: opts.example,
        ...(opts.preset === undefined ? {} : { preset: opts.preset }),
        ...(opts.data === undefined ? {} : { data: opts.data }),
        ...(opts.json ? {} : { progress: (line: string) => process.stderr.write(`  ${line}\n`) }),
      });
      if (opts.json) return printJson(report);
      const ing = report.ingestion;
      out.write(
        `Created the ${report.example} example in ${report.root} (preset ${report.preset})\n`,
      );
      out.write(
        `  data/prices.csv  ${ing.rowsTotal} rows, sha256 ${ing.sha256.slice(0, 12)}, ${ing.versioned ? 'versioned' : 'unchanged'} (data/prices.csv.mlops); ingestion run ${ing.runId}\n`,
      );
      out.write('  params.yaml      the preset and the params of each model\n');
      out.write(
        '  mlops.yaml       validate -> train@persistence, train@linear, train@lstm -> evaluate\n',
      );
      const dir = relative(process.cwd(), report.root);
      out.write(`\nNext:\n${dir === '' ? '' : `  cd ${dir}\n`}`);
      out.write('  mlops repro           run the pipeline (again: every stage is skipped)\n');
      out.write('  mlops metrics show    the test scores in metrics.json\n');
      out.write('  mlops dag             the stages and their order\n');
    });
}
