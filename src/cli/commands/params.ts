import { Command } from 'commander';
import { revisionDiffCommand } from './revision-diff-command.js';

export function paramsCommand(): Command {
  const cmd = new Command('params')
    .description('Compare the parameters pipeline stages ran with across git revisions')
    .addHelpText('after', '\nExamples:\n  mlops params diff\n  mlops params diff HEAD~1 HEAD');

  revisionDiffCommand(cmd, {
    noun: 'params',
    description:
      'Param values at revision a (default HEAD) against b (default the workspace): from mlops.lock at a commit, from the params files in the workspace; changed params only',
    helpText:
      '\nExamples:\n  mlops params diff\n  mlops params diff HEAD~1 --all\n  mlops params diff v1.0 main --json',
    diff: async (pair) => (await import('../../app/index.js')).paramsDiffJob(pair),
    table: (diff) => [
      ['PATH', 'PARAM', diff.a.rev, diff.b.rev],
      diff.rows.map((r) => [
        r.file,
        r.key,
        r.status === 'added' ? '-' : paramText(r.old),
        r.status === 'deleted' ? '-' : paramText(r.new),
      ]),
    ],
  });
  return cmd;
}

/** Scalars as written; lists and mappings as JSON. */
function paramText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
