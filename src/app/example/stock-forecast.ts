import { stringify } from 'yaml';

/** Where the example keeps its versioned prices (DESIGN.md §8). */
export const EXAMPLE_DATA = 'data/prices.csv';
/** The models the example trains, in the order the pipeline lists them. */
export const EXAMPLE_MODELS = ['persistence', 'linear', 'lstm'] as const;

/** The registered model the example's register stage adds versions to. */
export const EXAMPLE_MODEL_NAME = 'stock-forecast';
/** Where the register stage writes the gate's decision. */
export const EXAMPLE_DECISION = 'reports/promotion.json';

export type ExampleParams = Readonly<Record<string, string | number | boolean>>;

/**
 * params.yaml of the stock-forecast example: the preset, the contract's window and one mapping
 * of params per model (the forecasting module's defaults for that preset, written out so they
 * can be changed and tracked). `mlops.yaml` reads it through `${...}`.
 */
export function stockForecastParams(options: {
  readonly preset: 'full' | 'quick';
  readonly window: number;
  readonly models: Readonly<Record<(typeof EXAMPLE_MODELS)[number], ExampleParams>>;
}): string {
  const models = stringify({ models: options.models }, { indent: 2 });
  return `# Parameters of the stock-forecast pipeline; mlops.yaml reads them as \${...}.
# Change one and \`mlops repro\` reruns only the stages that use it.

# full: every row of ${EXAMPLE_DATA}; quick: the most recent 1,500 rows (and, as written
# below by \`mlops init --preset quick\`, few LSTM epochs).
preset: ${options.preset}

# The data contract: the prices must support a model input window this long.
validate:
  window: ${options.window}

# One training stage per model (train@persistence, train@linear, train@lstm), each with its
# params (see \`mlops forecast train --help\`). The LSTM is deterministic for one seed.
${models}
# The promotion gate of the register stage: the new models, the current champion and
# persistence are scored on the same rows, the newest ones none of them trained on. The alias
# moves (once) only to a model that beats the holder by more than min_improvement (relative
# for rmse, mae, mape; a difference for skill, directional_accuracy). Fewer than min_rows rows:
# nothing moves. See \`mlops models promote --help\`.
gate:
  metric: rmse
  min_improvement: 0
  min_rows: 20
  alias: champion
`;
}

/**
 * mlops.yaml of the stock-forecast example: validate -> train (one stage per model, from the
 * `models` mapping of params.yaml) -> evaluate (all models on the same test rows) -> register
 * (every model a version of one registered model; the gate picks the champion).
 */
export const STOCK_FORECAST_PIPELINE = `# The stock-forecast pipeline: validate the prices, train one model per entry of
# \`models\` in params.yaml, score them all on the same test rows against persistence, and
# register them; the promotion gate (\`gate\` in params.yaml) moves the champion alias.
#   mlops repro            run what changed (a second run skips everything)
#   mlops dag              the stages and their order
#   mlops metrics show     the scores in metrics.json
#   mlops models show ${EXAMPLE_MODEL_NAME}   the versions, the champion and the gate's decisions
# New prices arrive outside the pipeline: mlops data import <csv> --into ${EXAMPLE_DATA}
stages:
  validate:
    desc: Hold the prices to the data contract
    uses: forecast/validate
    with:
      data: ${EXAMPLE_DATA}
      window: \${validate.window}
      report: reports/validation.json
    deps:
      - ${EXAMPLE_DATA}
    params:
      - validate.window
    outs:
      - reports/validation.json

  train:
    foreach: \${models}
    do:
      desc: Train \${key} on the training rows of the evaluation protocol
      uses: forecast/train
      with:
        data: ${EXAMPLE_DATA}
        model: \${key}
        preset: \${preset}
        params: \${item}
        out: models/\${key}
      deps:
        - ${EXAMPLE_DATA}
        - reports/validation.json
      params:
        - preset
        - models.\${key}
      outs:
        - models/\${key}

  evaluate:
    desc: Score every model on the same test rows against persistence
    uses: forecast/evaluate
    with:
      data: ${EXAMPLE_DATA}
      preset: \${preset}
      models:
${EXAMPLE_MODELS.map((m) => `        ${m}: models/${m}`).join('\n')}
      metrics: metrics.json
      plots:
        - plots/predictions.csv
        - plots/predictions.svg
    deps:
      - ${EXAMPLE_DATA}
${EXAMPLE_MODELS.map((m) => `      - models/${m}`).join('\n')}
    params:
      - preset
    metrics:
      - metrics.json
    plots:
      - plots/predictions.csv:
          x: date
          y: [actual, ${EXAMPLE_MODELS.join(', ')}]
          title: Next-day close on the test rows
      - plots/predictions.svg

  register:
    desc: Register every model; the gate moves the champion only to a better model
    uses: models/register
    with:
      name: ${EXAMPLE_MODEL_NAME}
      data: ${EXAMPLE_DATA}
      models:
${EXAMPLE_MODELS.map((m) => `        ${m}: models/${m}`).join('\n')}
      gate: \${gate}
      decision: ${EXAMPLE_DECISION}
    deps:
      - ${EXAMPLE_DATA}
${EXAMPLE_MODELS.map((m) => `      - models/${m}`).join('\n')}
      - metrics.json
    params:
      - gate
    outs:
      - ${EXAMPLE_DECISION}
`;

/** Where the example's monitor configuration lives (`mlops monitor check|run --config`). */
export const EXAMPLE_MONITOR = 'monitor.yaml';

/**
 * monitor.yaml of the stock-forecast example: the served champion's last 60 next-day
 * predictions against the reference sample of the version that served them, one check on
 * dataset drift, and the report under reports/. Actions are written commented out: a webhook
 * and retraining need a URL and a source of new prices only the user knows.
 */
export const STOCK_FORECAST_MONITOR = `# Monitoring of the served model: mlops monitor check|run --config ${EXAMPLE_MONITOR}
#   mlops monitor check --config ${EXAMPLE_MONITOR}   exit 1 when a check fails (a CI gate)
#   mlops monitor run --config ${EXAMPLE_MONITOR}     store a snapshot; fire actions on failure
#   mlops monitor history                     the stored snapshots
monitor: ${EXAMPLE_MODEL_NAME}
model: models:/${EXAMPLE_MODEL_NAME}@champion
# The newest 60 next-day predictions of the inference log (or: since: 7d).
window:
  last: 60
# Evidently's defaults: the test per column by type and size, dataset drift at a share of 0.5.
drift:
  drift_share: 0.5
checks:
  - metric: data_drift.dataset_drift
    eq: false
report:
  html: reports/monitor.html
  json: reports/monitor.json
# actions:
#   webhook:
#     url: http://127.0.0.1:9000/hook
#   retrain:
#     cooldown: 6h
#     source: new-prices.csv
#     into: ${EXAMPLE_DATA}
`;
