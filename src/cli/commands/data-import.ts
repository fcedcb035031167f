import type { Command } from 'commander';
import { MlopsError } from '../../core/index.js';
import { withClient } from '../context.js';
import { printJson } from '../output.js';

interface ImportOptions {
  into: string;
  mergeKey: string;
  prefer?: string;
  window: string;
  timeout: string;
  experiment: string;
  json?: boolean;
}

/** `mlops data import <file|url> --into <path>`, added to the `data` group. */
export function registerImportCommand(data: Command): Command {
  return data
    .command('import <source>')
    .description(
      'Merge rows from a CSV file or http(s) URL into a versioned CSV by a key column: checked by the data contract, written atomically, versioned, recorded as a run in the ingestion experiment',
    )
    .requiredOption('--into <path>', 'the workspace CSV to merge into (created when missing)')
    .option('--merge-key <column>', 'key column, matched in any case', 'Date')
    .option(
      '--prefer <side>',
      'on conflicting values: new (take the incoming ones) or old (keep the existing ones); default: refuse the import',
    )
    .option(
      '--window <n>',
      'model input window the merged prices must support (data contract)',
      '60',
    )
    .option('--timeout <seconds>', 'http(s) sources: seconds allowed for the download', '30')
    .option('-e, --experiment <name>', 'experiment for the ingestion run', 'ingestion')
    .option('--json', 'print JSON (also for a refused import)')
    .addHelpText(
      'after',
      [
        '',
        'New keys are added, rows identical to existing ones dropped, and conflicting values refused',
        'unless --prefer is given. Refused input changes nothing. Exit codes: 2 bad input or',
        'conflicts, 3 source not found, 5 the target changed during the import (run it again),',
        '6 download or I/O failure, 7 the data contract failed.',
        '',
        'Examples:',
        '  mlops data import https://example.com/goog.csv --into data/prices.csv',
        '  mlops data import new-rows.csv --into data/prices.csv --merge-key date --json',
        '  mlops data import corrections.csv --into data/prices.csv --prefer new',
      ].join('\n'),
    )
    .action(async (source: string, opts: ImportOptions, command: Command) => {
      await withClient(command, async (client) => {
        const { dataImportJob } = await import('../../app/index.js');
        let result;
        try {
          result = await dataImportJob(client, {
            source,
            into: opts.into,
            mergeKey: opts.mergeKey,
            ...(opts.prefer === undefined ? {} : { prefer: opts.prefer }),
            windowSize: Number(opts.window),
            timeoutSeconds: Number(opts.timeout),
            experiment: opts.experiment,
          });
        } catch (err) {
          if (opts.json && MlopsError.is(err)) {
            printJson({ ok: false, ...err.toJSON(), details: err.details ?? {} });
          }
          throw err;
        }
        if (opts.json) return printJson({ ok: true, ...result });
        const lines = [
          `Imported ${result.source} into ${result.path}: ${plural(result.rowsAdded, 'row')} added, ` +
            `${result.rowsUpdated} updated, ${plural(result.duplicates, 'duplicate')} dropped; ${plural(result.rowsTotal, 'row')}.`,
          ...(result.conflictCount > 0
            ? [`${result.conflictCount} conflicting values resolved (prefer ${result.prefer}).`]
            : []),
          `${result.versioned ? 'new version' : 'unchanged'} ${result.sha256.slice(0, 12)}, run ${result.runId}`,
          ...(result.contract ? [result.contract.summary] : []),
        ];
        process.stdout.write(lines.join('\n') + '\n');
      });
    });
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
