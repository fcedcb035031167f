import { Command } from 'commander';
import { printJson } from '../output.js';

export function dagCommand(): Command {
  return new Command('dag')
    .description(
      'Show the pipeline in mlops.yaml as a graph of stages (after foreach/matrix expansion)',
    )
    .argument('[stages...]', 'only these stages and their upstream')
    .option('--downstream', 'the given stages and everything downstream of them')
    .option('--json', 'print stages and edges as JSON')
    .addHelpText('after', '\nExamples:\n  mlops dag\n  mlops dag evaluate\n  mlops dag --json')
    .action(async (targets: string[], opts: { downstream?: boolean; json?: boolean }) => {
      const { dagJob } = await import('../../app/index.js');
      const view = await dagJob({ targets, downstream: opts.downstream === true });
      if (opts.json) printJson(view.json);
      else process.stdout.write(view.text.endsWith('\n') ? view.text : `${view.text}\n`);
    });
}
