import { createHash } from 'node:crypto';
import { mkdir, readFile, rmdir, stat } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { MlopsError, invalidParam } from '../../core/index.js';
import { writeFileAtomic } from '../../blobs/index.js';
import { addData } from '../add-data.js';
import type { DataContext } from '../data-context.js';
import { ioError, isNotFound } from '../fs-errors.js';
import { resolveDataPath, stripPointerSuffix } from '../workspace-path.js';
import { DEFAULT_MERGE_KEY, mergeCsv, type MergeConflict, type PreferSide } from './merge-csv.js';
import { readSource, type SourceBytes } from './read-source.js';

/** What a data contract says about a file. */
export interface DataContractVerdict {
  readonly ok: boolean;
  /** Human-readable, shown when the import is refused. */
  readonly summary: string;
  /** The contract's full report (JSON-serialisable). */
  readonly report: unknown;
}

/**
 * A data contract the caller supplies: checks the file at `path` (the merged result, in a temp
 * file beside the target). `context.into` is the target's workspace-relative path, for messages.
 */
export type DataContract = (
  path: string,
  context: { readonly into: string },
) => Promise<DataContractVerdict>;

export interface ImportDataOptions {
  /** A file path (relative to `ctx.cwd`), a `file:` URL or an http(s) URL. */
  readonly source: string;
  /** The CSV file to merge into (created when missing); must lie inside the workspace. */
  readonly into: string;
  /** Key column; default `Date`. */
  readonly mergeKey?: string;
  /** Resolve conflicting values instead of refusing them. */
  readonly prefer?: PreferSide;
  /** Checked on the merged result before anything is written. */
  readonly contract?: DataContract;
  /** http(s) sources: default 30 s. */
  readonly timeoutMs?: number;
  /** Largest source read; default 1 GiB. */
  readonly maxBytes?: number;
}

/** Conflicts listed in errors and results; the rest are counted. */
export const MAX_LISTED_CONFLICTS = 20;

/** What `importData` did. */
export interface ImportedData {
  /** The source as recorded: the file path, or the URL with secrets redacted. */
  readonly source: string;
  readonly sourceKind: SourceBytes['kind'];
  /** sha256 of the fetched bytes. */
  readonly sourceSha256: string;
  /** The target, workspace-relative with '/' separators. */
  readonly path: string;
  /** The key column as the header spells it. */
  readonly mergeKey: string;
  readonly prefer?: PreferSide;
  readonly rowsAdded: number;
  readonly rowsUpdated: number;
  readonly rowsTotal: number;
  /** Incoming rows dropped as identical to rows already there. */
  readonly duplicates: number;
  /** The first `MAX_LISTED_CONFLICTS` conflicting values (resolved by `prefer`). */
  readonly conflicts: readonly MergeConflict[];
  readonly conflictCount: number;
  /** sha256 of the target's bytes before the import; absent when it did not exist. */
  readonly previousSha256?: string;
  /** The version now in the workspace and its pointer. */
  readonly sha256: string;
  readonly size: number;
  /** False when the merge left the file's bytes as they were (nothing new to import). */
  readonly written: boolean;
  /** True when the pointer changed (a new version was stored). */
  readonly versioned: boolean;
  /** The contract's verdict on the result, when a contract was given. */
  readonly contract?: DataContractVerdict;
}

/**
 * `mlops data import`: reads `source`, merges it into the CSV `into` by a key column (see
 * `mergeCsv`), checks the result with `contract`, writes it atomically (temp file in the same
 * directory, fsync, rename) and versions it with `addData`.
 *
 * Refused input changes nothing: the target, its pointer and the store are untouched when the
 * source cannot be read or parsed, the headers differ, values conflict (without `prefer`) or the
 * contract fails. An import that adds nothing leaves the bytes as they are (no new version) and
 * still succeeds when the contract passes.
 *
 * @throws MlopsError INVALID_PARAMETER_VALUE for bad input and conflicts (`details.conflicts`,
 *   `details.count`); DATA_CONTRACT_FAILED (`details.report`) when the contract fails;
 *   INVALID_STATE when the target changed while importing; errors of `readSource`.
 */
export async function importData(
  ctx: DataContext,
  options: ImportDataOptions,
): Promise<ImportedData> {
  const { abs, rel } = await resolveDataPath(ctx, stripPointerSuffix(options.into));
  const existing = await statIfExists(abs, rel);
  if (existing !== undefined && !existing.isFile()) {
    throw invalidParam(`Cannot import into ${rel}: it is not a regular file.`, { path: rel });
  }
  const source = await readSource(options.source, {
    cwd: ctx.cwd ?? ctx.root,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
  const target = existing === undefined ? undefined : await readTarget(abs, rel);
  const previousSha256 = target === undefined ? undefined : sha256(target);
  const merge = mergeCsv(target, source.bytes, {
    key: options.mergeKey ?? DEFAULT_MERGE_KEY,
    ...(options.prefer === undefined ? {} : { prefer: options.prefer }),
    targetName: rel,
    incomingName: source.name,
  });
  if (merge.conflicts.length > 0 && options.prefer === undefined) {
    throw conflictError(merge.conflicts, { source: source.name, into: rel, key: merge.keyColumn });
  }

  let verdict: DataContractVerdict | undefined;
  if (merge.changed) {
    verdict = await writeChecked(abs, rel, merge.bytes, options.contract, previousSha256);
  } else if (options.contract) {
    verdict = await options.contract(abs, { into: rel });
    if (!verdict.ok) throw contractError(rel, verdict);
  }
  const [added] = await addData(ctx, [abs]);
  if (added === undefined) throw new MlopsError('INTERNAL_ERROR', `addData returned nothing.`);
  return {
    source: source.name,
    sourceKind: source.kind,
    sourceSha256: sha256(source.bytes),
    path: added.path,
    mergeKey: merge.keyColumn,
    ...(options.prefer === undefined ? {} : { prefer: options.prefer }),
    rowsAdded: merge.rowsAdded,
    rowsUpdated: merge.rowsUpdated,
    rowsTotal: merge.rowsTotal,
    duplicates: merge.duplicates,
    conflicts: merge.conflicts.slice(0, MAX_LISTED_CONFLICTS),
    conflictCount: merge.conflicts.length,
    ...(previousSha256 === undefined ? {} : { previousSha256 }),
    sha256: added.sha256,
    size: added.size,
    written: merge.changed,
    versioned: added.changed,
    ...(verdict === undefined ? {} : { contract: verdict }),
  };
}

/** The refusal for conflicting values: lists the first ones, counts all. */
export function conflictError(
  conflicts: readonly MergeConflict[],
  names: { source: string; into: string; key: string },
): MlopsError {
  const listed = conflicts.slice(0, MAX_LISTED_CONFLICTS);
  const rows = new Set(conflicts.map((c) => c.key)).size;
  const lines = [
    `${names.source} conflicts with ${names.into}: ${plural(conflicts.length, 'value')} ` +
      `${conflicts.length === 1 ? 'differs' : 'differ'} from the existing rows ` +
      `(${plural(rows, 'row')} with the same ${names.key}); nothing was changed.`,
    ...listed.map((c) => `  ${names.key} ${c.key}, ${c.column}: ${c.old} -> ${c.new}`),
    ...(conflicts.length > listed.length
      ? [`  ... and ${conflicts.length - listed.length} more`]
      : []),
    'Import again with --prefer new to take the incoming values, or --prefer old to keep the existing ones.',
  ];
  return invalidParam(lines.join('\n'), {
    conflicts: listed,
    count: conflicts.length,
    source: names.source,
    into: names.into,
  });
}

function contractError(rel: string, verdict: DataContractVerdict): MlopsError {
  return new MlopsError(
    'DATA_CONTRACT_FAILED',
    `The imported ${rel} would break the data contract; nothing was changed.\n${verdict.summary}`,
    { details: { path: rel, report: verdict.report } },
  );
}

/**
 * Writes `bytes` over `abs` with `writeFileAtomic` (keeping the old file's mode). Before the
 * rename it runs the contract on the synced temp file and checks the target still holds what was
 * merged. On any failure the temp file and any directory made for it are removed.
 */
async function writeChecked(
  abs: string,
  rel: string,
  bytes: Buffer,
  contract: DataContract | undefined,
  previousSha256: string | undefined,
): Promise<DataContractVerdict | undefined> {
  const dir = dirname(abs);
  let madeDir: string | undefined;
  let verdict: DataContractVerdict | undefined;
  try {
    madeDir = await mkdir(dir, { recursive: true });
    const mode = (await statIfExists(abs, rel))?.mode;
    await writeFileAtomic(abs, [bytes], {
      ...(mode === undefined ? {} : { mode: mode & 0o7777 }),
      beforeRename: async (temp) => {
        verdict = contract ? await contract(temp, { into: rel }) : undefined;
        if (verdict && !verdict.ok) throw contractError(rel, verdict);
        const now = await readTarget(abs, rel).catch((err: unknown) => {
          if (MlopsError.is(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
          throw err;
        });
        if ((now === undefined ? undefined : sha256(now)) !== previousSha256) {
          throw new MlopsError(
            'INVALID_STATE',
            `${rel} changed while it was being imported into; nothing was written. Import again.`,
            { details: { path: rel } },
          );
        }
      },
    });
    return verdict;
  } catch (err) {
    if (madeDir !== undefined) await removeEmptyDirs(dir, madeDir);
    throw ioError('write', rel, err);
  }
}

/** Removes `dir` and its parents up to `top` (inclusive) while they are empty. */
async function removeEmptyDirs(dir: string, top: string): Promise<void> {
  for (let d = dir; ; d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
    if (d === top || relative(top, d).startsWith('..') || dirname(d) === d) return;
  }
}

async function statIfExists(abs: string, rel: string) {
  try {
    return await stat(abs);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw ioError('read', rel, err);
  }
}

async function readTarget(abs: string, rel: string): Promise<Buffer> {
  try {
    return await readFile(abs);
  } catch (err) {
    if (isNotFound(err)) {
      throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `${rel} does not exist.`, { cause: err });
    }
    throw ioError('read', rel, err);
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
