import { Command } from 'commander';
import { printJson, printTable } from '../output.js';

export function stepCommand(): Command {
  const cmd = new Command('step').description(
    'Built-in pipeline steps: what `uses:` in mlops.yaml runs (mlops repro runs them for you)',
  );

  cmd
    .command('list')
    .description('List the built-in steps')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { listSteps } = await import('../../app/index.js');
      const steps = await listSteps();
      if (opts.json) return printJson(steps);
      printTable(
        ['STEP', 'DESCRIPTION'],
        steps.map((s) => [s.name, s.description]),
      );
    });

  cmd
    .command('run <name>')
    .description(
      'Run one built-in step in the current directory, as a `uses:` stage does (its run: MLOPS_RUN_ID)',
    )
    .requiredOption('--with <json>', 'the step arguments as a JSON object')
    .option('--stage <name>', 'the stage it runs for, for messages', 'step')
    .addHelpText(
      'after',
      `\nExample:\n  mlops step run forecast/validate --with '{"data": "data/prices.csv", "report": "reports/validation.json"}'`,
    )
    .action(async (name: string, opts: { with: string; stage: string }) => {
      const { runStep } = await import('../../app/index.js');
      await runStep({
        name,
        stage: opts.stage,
        with: opts.with,
        log: (line) => process.stdout.write(`${line}\n`),
      });
    });
  return cmd;
}
