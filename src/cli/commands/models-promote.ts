import { InvalidArgumentError, type Command } from 'commander';
import type { PromotionResult } from '../../app/index.js';
import type { GateConfig } from '../../registry/index.js';
import { collect, withClient } from '../context.js';
import { printJson } from '../output.js';

interface PromoteFlags {
  name: string;
  version?: string[];
  alias?: string;
  metric?: string;
  minImprovement?: number;
  minRows?: number;
  data?: string;
  force?: boolean;
  json?: boolean;
}

/** Exit code of a refusal (too few rows, nothing scorable): the table's INVALID_STATE. */
const REFUSED_EXIT_CODE = 5;

function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError('expected a number >= 0 (0.01 = 1%).');
  }
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected an integer >= 1.');
  return n;
}

/**
 * Adds `mlops models promote` to the `models` command: the promotion gate for one alias. The
 * gate settings come from params.yaml's `gate:` (when the workspace has one), flags override.
 */
export function addPromoteCommand(models: Command): Command {
  models
    .command('promote')
    .description(
      "Run the promotion gate: score the candidate, the alias holder and persistence on the same rows (after every model's training data) and move the alias only if the best beats the holder",
    )
    .requiredOption('--name <name>', 'registered model')
    .option(
      '--version <v>',
      'candidate version (repeatable; default: the newest version that is not archived)',
      collect,
    )
    .option(
      '--alias <alias>',
      "the alias to judge (default: params.yaml gate.alias, else 'champion')",
    )
    .option(
      '--metric <name>',
      'rmse | mae | mape | directional_accuracy | skill (default: params.yaml gate.metric, else rmse)',
    )
    .option(
      '--min-improvement <x>',
      'how much the winner must beat the holder by: relative for rmse/mae/mape (0.01 = 1%), a difference for skill and directional accuracy (default 0)',
      nonNegative,
    )
    .option('--min-rows <n>', 'fewest comparison rows to judge on (default 20)', positiveInteger)
    .option(
      '--data <csv>',
      "the latest prices to compare on (default: the dataset the candidate's package names)",
    )
    .option(
      '--force',
      'move the alias to the candidate whatever the scores say (recorded as forced)',
    )
    .option('--json', 'print the decision record as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops models promote --name stock-forecast --version 4\n  mlops models promote --name stock-forecast --version 4 --alias challenger --min-improvement 0.01\n  mlops models promote --name stock-forecast --version 2 --force',
    )
    .action(async (flags: PromoteFlags, command: Command) => {
      const { parseGateMetric } = await import('../../registry/index.js');
      const metric =
        flags.metric === undefined ? undefined : parseGateMetric(flags.metric, '--metric');
      await withClient(command, async (client) => {
        const { openRegistry, promote, workspaceGateConfig } = await import('../../app/index.js');
        const fromParams = await workspaceGateConfig();
        const gate: GateConfig = {
          ...fromParams,
          ...(metric === undefined ? {} : { metric }),
          ...(flags.minImprovement === undefined ? {} : { minImprovement: flags.minImprovement }),
          ...(flags.minRows === undefined ? {} : { minRows: flags.minRows }),
          ...(flags.alias === undefined ? {} : { alias: flags.alias }),
        };
        const registry = await openRegistry(client);
        const result = await promote(
          { client, registry, cwd: process.cwd() },
          {
            name: flags.name,
            gate,
            ...(flags.version ? { versions: flags.version } : {}),
            ...(flags.data === undefined ? {} : { data: flags.data }),
            ...(flags.force ? { force: true } : {}),
            ...(flags.json
              ? {}
              : { progress: (line: string) => process.stderr.write(`${line}\n`) }),
          },
        );
        printResult(result, flags.json ?? false);
        if (result.decision.outcome === 'refused') process.exitCode = REFUSED_EXIT_CODE;
      });
    });
  return models;
}

function printResult(result: PromotionResult, json: boolean): void {
  if (json) return printJson(result.record);
  const out = process.stdout;
  for (const line of result.lines) out.write(`${line}\n`);
  const { record } = result;
  out.write(
    `\nRecorded as decision ${record.id}: tags mlops.gate.${record.id}* on ${record.versions.map((v) => `v${v.version}`).join(', ')} and on the model (mlops models show ${record.model}).\n`,
  );
}
