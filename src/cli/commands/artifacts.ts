import { resolve } from 'node:path';
import { Command } from 'commander';
import { withClient } from '../context.js';
import { printJson, printTable } from '../output.js';

export function artifactsCommand(): Command {
  const cmd = new Command('artifacts').description("List and download a run's artifacts");

  cmd
    .command('list <run-id> [path]')
    .description('List the files and directories under a path of the run artifact root')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops artifacts list 3f2a...\n  mlops artifacts list 3f2a... model --json',
    )
    .action(
      async (
        runId: string,
        path: string | undefined,
        opts: { json?: boolean },
        command: Command,
      ) => {
        await withClient(command, async (client) => {
          const files = await client.listArtifacts(runId, path ?? '');
          if (opts.json) return printJson({ root_uri: `runs:/${runId}`, files });
          printTable(
            ['PATH', 'TYPE', 'SIZE'],
            files.map((f) => [f.path, f.isDir ? 'dir' : 'file', f.fileSize]),
          );
        });
      },
    );

  cmd
    .command('download <run-id> [path]')
    .description('Copy an artifact file or directory (default: all) into a local directory')
    .option('-d, --dest <dir>', 'destination directory', '.')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  mlops artifacts download 3f2a... model -d ./out')
    .action(
      async (
        runId: string,
        path: string | undefined,
        opts: { dest: string; json?: boolean },
        command: Command,
      ) => {
        await withClient(command, async (client) => {
          const local = await client.downloadArtifacts(runId, path ?? '', resolve(opts.dest));
          if (opts.json) printJson({ path: local });
          else process.stdout.write(`Downloaded runs:/${runId}/${path ?? ''} to ${local}\n`);
        });
      },
    );
  return cmd;
}
