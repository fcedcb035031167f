import type { Command } from 'commander';
import { printJson, printTable } from '../output.js';

/** What `mlops metrics diff` and `mlops params diff` get back: rows between revisions a and b. */
export interface RevisionDiff {
  readonly a: { readonly rev: string };
  readonly b: { readonly rev: string };
  readonly rows: readonly unknown[];
}

export interface RevisionDiffCommandOptions<D extends RevisionDiff> {
  /** Plural noun of the `--all` help and the "No changed … between" line: `metrics`, `params`. */
  readonly noun: string;
  readonly description: string;
  /** Help text after the options (examples). */
  readonly helpText: string;
  readonly diff: (pair: { a?: string; b?: string; all: boolean }) => Promise<D>;
  /** The table's headers and rows (when there are rows). */
  readonly table: (diff: D) => readonly [readonly string[], readonly (readonly unknown[])[]];
  /** Printed after the table or the "No changed …" line (e.g. files missing at a revision). */
  readonly after?: (diff: D) => void;
}

/**
 * Adds `diff [a] [b] [--all] [--json]` to `parent`: revision a (default HEAD) against b (default
 * the workspace), changed rows only unless `--all`.
 */
export function revisionDiffCommand<D extends RevisionDiff>(
  parent: Command,
  options: RevisionDiffCommandOptions<D>,
): void {
  parent
    .command('diff [a] [b]')
    .description(options.description)
    .option('--all', `list unchanged ${options.noun} too`)
    .option('--json', 'print JSON')
    .addHelpText('after', options.helpText)
    .action(
      async (
        a: string | undefined,
        b: string | undefined,
        opts: { all?: boolean; json?: boolean },
      ) => {
        const diff = await options.diff({
          ...(a === undefined ? {} : { a }),
          ...(b === undefined ? {} : { b }),
          all: opts.all === true,
        });
        if (opts.json) return printJson(diff);
        if (diff.rows.length === 0) {
          process.stdout.write(
            `No ${opts.all ? '' : 'changed '}${options.noun} between ${diff.a.rev} and ${diff.b.rev}.\n`,
          );
        } else {
          printTable(...options.table(diff));
        }
        options.after?.(diff);
      },
    );
}
