/**
 * `mlops.lock` (committed): what each stage last ran with and produced. YAML on disk:
 *
 * ```yaml
 * schema: '1'
 * stages:
 *   train@lstm:
 *     cmd: [python train.py]          # or `uses: forecast/train` and `with: {...}`
 *     deps:
 *       - {path: data/prices.csv, sha256: ..., size: 1234}
 *     params:
 *       params.yaml: {train.epochs: 5}  # file -> dotted key -> exact value
 *     outs:
 *       - {path: models/lstm, sha256: ..., size: 99, files: 3, manifest: ...}
 * ```
 */

export const LOCK_FILE = 'mlops.lock';
export const LOCK_SCHEMA = '1';

/** A dep as hashed when the stage ran (directories: `files` and the listing hash). */
export interface LockedDep {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly files?: number;
}

/** An out as stored: the byte store's manifest (file) or listing (directory) id restores it. */
export interface LockedOut extends LockedDep {
  /** Manifest id in the byte store (file manifest or directory listing). */
  readonly manifest?: string;
  /** Set for entries of `metrics:` and `plots:` (plain outs omit it). */
  readonly kind?: 'metric' | 'plot';
}

export interface LockedStage {
  readonly cmd?: readonly string[];
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly deps: readonly LockedDep[];
  /** params file -> dotted key -> value (keys sorted, `params.yaml` first). */
  readonly params: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly outs: readonly LockedOut[];
}

export interface LockFile {
  readonly schema: typeof LOCK_SCHEMA;
  /** Stage name -> entry, in pipeline order. */
  readonly stages: Readonly<Record<string, LockedStage>>;
}
