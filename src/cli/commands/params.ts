import { Command } from 'commander';
import { printJson, printTable } from '../output.js';

export function paramsCommand(): Command {
  const cmd = new Command('params')
    .description('Compare the parameters pipeline stages ran with across git revisions')
    .addHelpText('after', '\nExamples:\n  mlops params diff\n  mlops params diff HEAD~1 HEAD');

  cmd
    .command('diff [a] [b]')
    .description(
      'Param values at revision a (default HEAD) against b (default the workspace): from mlops.lock at a commit, from the params files in the workspace; changed params only',
    )
    .option('--all', 'list unchanged params too')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops params diff\n  mlops params diff HEAD~1 --all\n  mlops params diff v1.0 main --json',
    )
    .action(
      async (
        a: string | undefined,
        b: string | undefined,
        opts: { all?: boolean; json?: boolean },
      ) => {
        const { paramsDiffJob } = await import('../../app/index.js');
        const diff = await paramsDiffJob({
          ...(a === undefined ? {} : { a }),
          ...(b === undefined ? {} : { b }),
          all: opts.all === true,
        });
        if (opts.json) return printJson(diff);
        if (diff.rows.length === 0) {
          process.stdout.write(
            `No ${opts.all ? '' : 'changed '}params between ${diff.a.rev} and ${diff.b.rev}.\n`,
          );
          return;
        }
        printTable(
          ['PATH', 'PARAM', diff.a.rev, diff.b.rev],
          diff.rows.map((r) => [
            r.file,
            r.key,
            r.status === 'added' ? '-' : paramText(r.old),
            r.status === 'deleted' ? '-' : paramText(r.new),
          ]),
        );
      },
    );
  return cmd;
}

/** Scalars as written; lists and mappings as JSON. */
function paramText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
