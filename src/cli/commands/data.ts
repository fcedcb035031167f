import { Command } from 'commander';
import { printJson, printTable } from '../output.js';
import { registerRemoteCommands } from './data-remote.js';
import { registerHistoryCommands } from './data-history.js';
import { registerImportCommand } from './data-import.js';

const short = (hash: string) => hash.slice(0, 12);

export function dataCommand(): Command {
  const cmd = new Command('data')
    .description('Version data files and directories: pointers in git, bytes in the store')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops data add data/prices.csv\n  mlops data status\n  mlops data checkout data/prices.csv --rev HEAD~1',
    );

  cmd
    .command('add <path...>')
    .description(
      'Store files or directories, write <path>.mlops pointers (commit those) and git-ignore the data',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops data add data/prices.csv\n  mlops data add data/images data/labels.csv --json\n  git add data/prices.csv.mlops .gitignore && git commit -m "data v1"',
    )
    .action(async (paths: string[], opts: { json?: boolean }) => {
      const { dataAddJob } = await import('../../app/index.js');
      const added = await dataAddJob(paths);
      if (opts.json) return printJson(added);
      printTable(
        ['PATH', 'SHA256', 'SIZE', 'FILES', 'CHANGED'],
        added.map((a) => [a.path, short(a.sha256), a.size, a.files, a.changed ? 'yes' : 'no']),
      );
    });

  cmd
    .command('status [path...]')
    .description(
      'Compare each pointer with the workspace and the store: ok, modified, missing-workspace, missing-cache',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops data status\n  mlops data status data/prices.csv --json',
    )
    .action(async (paths: string[], opts: { json?: boolean }) => {
      const { dataStatusJob } = await import('../../app/index.js');
      const entries = await dataStatusJob(paths);
      if (opts.json) return printJson(entries);
      printTable(
        ['PATH', 'STATUS', 'SHA256', 'SIZE', 'CACHED'],
        entries.map((e) => [e.path, e.status, short(e.sha256), e.size, e.cached ? 'yes' : 'no']),
      );
    });

  cmd
    .command('checkout [path...]')
    .description(
      'Restore workspace data from its pointers by copying from the store (overwrites workspace edits)',
    )
    .option(
      '--rev <rev>',
      'restore the version a git revision names (the working-tree pointer stays unchanged)',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops data checkout\n  mlops data checkout data/prices.csv\n  mlops data checkout data/prices.csv --rev HEAD~1 --json',
    )
    .action(async (paths: string[], opts: { rev?: string; json?: boolean }) => {
      const { dataCheckoutJob } = await import('../../app/index.js');
      const entries = await dataCheckoutJob(paths, opts.rev === undefined ? {} : { rev: opts.rev });
      if (opts.json) return printJson(entries);
      printTable(
        ['PATH', 'ACTION', 'SHA256', 'SIZE'],
        entries.map((e) => [e.path, e.action, short(e.sha256), e.size]),
      );
    });
  registerImportCommand(cmd);
  registerHistoryCommands(cmd);
  registerRemoteCommands(cmd);
  return cmd;
}
