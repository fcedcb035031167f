/**
 * The validated, expanded and frozen form of `mlops.yaml` (what `loadPipeline` returns). Every
 * path is workspace-relative and '/'-separated; templates (`${...}`) and `foreach`/`matrix` are
 * already resolved, so a stage here is exactly what runs and what `mlops.lock` records.
 */

/** The file the pipeline is read from, as messages name it. */
export const PIPELINE_FILE = 'mlops.yaml';
/** The default params file (DVC's `params.yaml`). */
export const DEFAULT_PARAMS_FILE = 'params.yaml';

/** Where a stage or field was defined, for error messages and `mlops dag`. */
export interface SourcePosition {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}

/** `x`/`y` etc. of a plot out (DVC's plot flags). */
export interface PlotOptions {
  readonly x?: string;
  /** One column, or several overlaid. */
  readonly y?: readonly string[];
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** `linear` (default), `scatter`, `bar`. */
  readonly template?: string;
}

/** One entry of `outs`, `metrics` or `plots`. */
export interface OutSpec {
  /** Workspace-relative. */
  readonly path: string;
  /** Which list it came from. */
  readonly kind: 'out' | 'metric' | 'plot';
  /**
   * True: stored in the byte store and git-ignored (outs and plots by default). False: left to
   * git (metrics by default); its hash is still recorded in the lock.
   */
  readonly cache: boolean;
  /** True: not deleted before the stage runs (and the stage cannot use the run-cache). */
  readonly persist: boolean;
  /** Plots only. */
  readonly plot?: PlotOptions;
  /** The entry's `desc:`. */
  readonly desc?: string;
}

/** A tracked parameter: one dotted key of one params file, with the value it has now. */
export interface ParamSpec {
  /** Workspace-relative params file (default `params.yaml`). */
  readonly file: string;
  /** Dotted path, e.g. `train.epochs`; for `{file: null}` entries, every top-level key is listed. */
  readonly key: string;
  /** The value read from the file (any JSON value); undefined when the key is missing. */
  readonly value: unknown;
}

export interface StageSpec {
  /** Expanded name: `train`, `train@lstm`, `train@lstm-64`. */
  readonly name: string;
  /** Shell commands run in order through `/bin/sh -c` (the first failure stops the stage). */
  readonly cmd?: readonly string[];
  /** A built-in step of the step registry (e.g. `forecast/train`), with its `with:` arguments. */
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  /** Working directory of `cmd`, workspace-relative ('.' = the root). */
  readonly wdir: string;
  /** Files or directories (workspace-relative); a versioned dataset's path counts as its data. */
  readonly deps: readonly string[];
  readonly params: readonly ParamSpec[];
  /** outs, metrics and plots in the order written (each path once across the whole pipeline). */
  readonly outs: readonly OutSpec[];
  readonly alwaysChanged: boolean;
  readonly frozen: boolean;
  readonly desc?: string;
  /** Where the stage (or its foreach/matrix template) is defined. */
  readonly source: SourcePosition;
}

/** A top-level `plots:` entry (DVC's plot definitions): an id (a file or a name) and its options. */
export interface TopPlotSpec extends PlotOptions {
  readonly id: string;
  /** Files the plot draws from (the id itself when it is a file). */
  readonly files: readonly string[];
  /** `x: {file: column}` as written (files workspace-relative); `x` is then its first column. */
  readonly xByFile?: Readonly<Record<string, string>>;
  /** `y: {file: columns}` as written; `y` is then every column named. */
  readonly yByFile?: Readonly<Record<string, readonly string[]>>;
}

export interface PipelineSpec {
  /** The workspace root (absolute). */
  readonly root: string;
  /** In file order (after expansion). */
  readonly stages: readonly StageSpec[];
  readonly plots: readonly TopPlotSpec[];
  /**
   * Every params file stages track, plus the top-level `params:` files (workspace-relative,
   * `params.yaml` first, then sorted); files read only for templating (`vars`) are not listed.
   */
  readonly paramsFiles: readonly string[];
}
