import { Command } from 'commander';
import type { GlobalOptions } from '../context.js';
import { printJson } from '../output.js';

export function dbCommand(): Command {
  const cmd = new Command('db').description('Manage the metadata database');
  cmd
    .command('upgrade')
    .description('Apply pending schema migrations (back up first); SQLite also upgrades on open')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  mlops --tracking-uri postgresql://mlops@db:5432/mlops db upgrade',
    )
    .action(async (opts: { json?: boolean }, command: Command) => {
      const { upgradeTrackingDatabase } = await import('../../app/index.js');
      const result = await upgradeTrackingDatabase(
        command.optsWithGlobals<GlobalOptions>().trackingUri,
      );
      if (opts.json) printJson(result);
      else if (result.from === result.to)
        process.stdout.write(`${result.uri} is up to date (schema ${result.to})\n`);
      else
        process.stdout.write(`Upgraded ${result.uri} from schema ${result.from} to ${result.to}\n`);
    });
  return cmd;
}
