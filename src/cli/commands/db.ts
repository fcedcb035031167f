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
      const { openDatabase, upgradeDatabase, redact } = await import('../../storage/index.js');
      const { findWorkspace } = await import('../../app/index.js');
      const globals = command.optsWithGlobals<GlobalOptions>();
      const uri =
        globals.trackingUri ??
        process.env['MLOPS_TRACKING_URI'] ??
        `sqlite:${findWorkspace().database}`;
      const database = await openDatabase(uri, { skipMigrations: true });
      try {
        const result = await upgradeDatabase(database);
        if (opts.json) printJson(result);
        else if (result.from === result.to)
          process.stdout.write(`${redact(uri)} is up to date (schema ${result.to})\n`);
        else
          process.stdout.write(
            `Upgraded ${redact(uri)} from schema ${result.from} to ${result.to}\n`,
          );
      } finally {
        await database.close();
      }
    });
  return cmd;
}
