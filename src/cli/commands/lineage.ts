import { Command } from 'commander';
import { withClient } from '../context.js';
import { printJson } from '../output.js';

export function lineageCommand(): Command {
  return new Command('lineage')
    .argument(
      '<uri>',
      'runs:/<id> | models:/<name>/<version> | models:/<name>@<alias> | data:/<path>@<hash> | artifact:<id>',
    )
    .description('Show the lineage graph around a run, model version, dataset version or artifact')
    .option('--depth <n>', 'hops to follow', '3')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops lineage runs:/3f2a...\n  mlops lineage models:/goog-lstm@champion\n  mlops lineage data:/data/prices.csv@9c1b... --depth 5',
    )
    .action(async (uri: string, opts: { depth: string; json?: boolean }, command: Command) => {
      await withClient(command, async (client) => {
        const { showLineage } = await import('../../app/index.js');
        const view = await showLineage(client, uri, Number(opts.depth));
        if (opts.json) printJson(view.graph);
        else process.stdout.write(view.text.endsWith('\n') ? view.text : view.text + '\n');
      });
    });
}
