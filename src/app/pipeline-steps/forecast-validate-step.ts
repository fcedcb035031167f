import { resolve } from 'node:path';
import { z } from 'zod';
import { MlopsError } from '../../core/index.js';
import type { PipelineStep, StepContext } from '../../pipeline/index.js';
import { forecastModule } from './preset-rows.js';
import { logToStageRun } from './stage-run.js';
import { parseStepArgs, type ArgumentHelp } from './step-args.js';
import { stableJson, writeFileWhole } from './step-files.js';

const NAME = 'forecast/validate';

const HELP: ArgumentHelp = {
  data: 'the daily price CSV to check (a path)',
  window: 'the model input window the data must support (an integer >= 2; default 60)',
  report: 'where to write the JSON report (a path; optional)',
};

const schema = z.strictObject({
  data: z.string().min(1),
  window: z.int().min(2).default(60),
  report: z.string().min(1).optional(),
});

export type ForecastValidateArgs = z.output<typeof schema>;

const parse = (args: unknown) => parseStepArgs(NAME, schema, HELP, args);

/**
 * `forecast/validate`: holds a daily price CSV to the data contract. Writes the report (JSON,
 * the same as `mlops forecast validate --json` but naming the file as the stage gave it) when
 * `report` is set, and fails with `DATA_CONTRACT_FAILED` when the contract does, so nothing
 * downstream trains on broken data. Warnings never fail it.
 */
export const forecastValidateStep: PipelineStep = {
  name: NAME,
  description: 'Hold a daily price CSV to the data contract; write its JSON report',
  validate: (args) => void parse(args),
  run: async (ctx: StepContext) => {
    const args = parse(ctx.with);
    const f = await forecastModule();
    const csv = await f.loadPriceCsv(resolve(ctx.cwd, args.data));
    const report = f.validateSeries({ ...csv, source: args.data }, { windowSize: args.window });
    if (args.report !== undefined) {
      await writeFileWhole(resolve(ctx.cwd, args.report), stableJson(report));
    }
    const text = f.formatValidationReport(report);
    for (const line of text.trimEnd().split('\n')) ctx.log(line);
    await logToStageRun(ctx, {
      params: { data: args.data, window: args.window },
      tags: { 'data.sha256': report.sha256 ?? '', 'data.contract': report.ok ? 'ok' : 'failed' },
      metrics: [
        { key: 'contract.rows', value: report.rows },
        { key: 'contract.errors', value: report.errors.length },
        { key: 'contract.warnings', value: report.warnings.length },
      ],
    });
    if (!report.ok) {
      throw new MlopsError(
        'DATA_CONTRACT_FAILED',
        `${args.data} breaks the data contract (${report.errors.length} error(s)); fix the file or import corrected prices with \`mlops data import\`, then run \`mlops repro\` again.`,
        { details: { report } },
      );
    }
  },
};
