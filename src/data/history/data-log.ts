import { MlopsError } from '../../core/index.js';
import { pointerCached } from '../cache-check.js';
import type { DataContext } from '../data-context.js';
import { parsePointer, POINTER_SUFFIX, readPointerIfExists, type DataPointer } from '../pointer.js';
import { pointerPathOf, resolveDataPath, stripPointerSuffix } from '../workspace-path.js';
import type { RunsUsingVersion } from './dataset-runs.js';
import { commitsTouching, gitWorkspace, readObjects, type PathCommit } from './git.js';

/** One version of a versioned path: a commit that changed its pointer, or the working tree. */
export interface DataLogEntry {
  /** null: the working-tree pointer, not committed yet. */
  readonly commit: string | null;
  /** Author date (ISO 8601 with the author's offset); null for the working tree. */
  readonly date: string | null;
  readonly author: string | null;
  readonly subject: string | null;
  /**
   * Against the next older entry: `added` (no pointer before), `modified`, `removed` (the
   * commit deleted the pointer); `uncommitted` for the working tree.
   */
  readonly change: 'added' | 'modified' | 'removed' | 'uncommitted';
  /** null when removed or when the committed pointer is invalid (see `note`). */
  readonly sha256: string | null;
  readonly size: number | null;
  /** Directories only. */
  readonly files?: number;
  readonly manifest: string | null;
  /** Whether the local store holds every blob of this version (`checkout --rev` can restore it). */
  readonly cached: boolean;
  /** Runs that used this version, from lineage (oldest first). */
  readonly runs: readonly string[];
  readonly note?: string;
}

export interface DataLog {
  /** Workspace-relative data path. */
  readonly path: string;
  /** False when the workspace is not in a git repository: only the working tree is shown. */
  readonly git: boolean;
  readonly note?: string;
  /** Newest first. */
  readonly versions: readonly DataLogEntry[];
}

export interface DataLogOptions {
  /** Where the runs that used each version come from (none when absent). */
  readonly runsUsing?: RunsUsingVersion;
}

/**
 * `mlops data log <path>`: the versions of a versioned path, from the git history of its pointer
 * file (commits reachable from HEAD that changed `<path>.mlops`), newest first, with the
 * working-tree pointer first when it differs from the committed one.
 */
export async function dataLog(
  ctx: DataContext,
  input: string,
  options: DataLogOptions = {},
): Promise<DataLog> {
  const { rel } = await resolveDataPath(ctx, stripPointerSuffix(input));
  const pointerRel = `${rel}${POINTER_SUFFIX}`;
  const working = await readPointerIfExists(pointerPathOf(ctx.root, rel), pointerRel);
  const ws = await gitWorkspace(ctx.root);
  const notVersioned = () =>
    new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `'${input}' has no pointer ${pointerRel} in the working tree${'reason' in ws ? '' : ' or in the git history of HEAD'}. Version it with \`mlops data add ${input}\`.`,
      { details: { path: input } },
    );

  const drafts: Draft[] = [];
  let note: string | undefined;
  if ('reason' in ws) {
    note = `${ws.reason}: only the working-tree version is shown.`;
  } else if (ws.hasHead) {
    const commits = await commitsTouching(ctx.root, pointerRel);
    const texts = await readObjects(
      ctx.root,
      commits.map((c) => `${c.commit}:${ws.prefix}${pointerRel}`),
    );
    const older: (DataPointer | undefined)[] = [];
    for (let i = commits.length - 1; i >= 0; i--) {
      const commit = commits[i] as PathCommit;
      const text = texts[i];
      const prior = older[older.length - 1];
      if (text === undefined) {
        drafts.unshift({ commit, change: 'removed' });
        older.push(undefined);
        continue;
      }
      const change = prior === undefined ? 'added' : 'modified';
      try {
        const pointer = parsePointer(
          text.toString('utf8'),
          `${commit.commit.slice(0, 12)}:${pointerRel}`,
        );
        drafts.unshift({ commit, change, pointer });
        older.push(pointer);
      } catch (err) {
        if (!MlopsError.is(err) || err.code !== 'INVALID_PARAMETER_VALUE') throw err;
        drafts.unshift({ commit, change, note: err.message });
        older.push(undefined);
      }
    }
  }
  const head = drafts[0];
  if (
    working !== undefined &&
    (head?.pointer === undefined || !samePointer(head.pointer, working))
  ) {
    drafts.unshift({ change: 'uncommitted', pointer: working });
  }
  if (drafts.length === 0) throw notVersioned();

  const versions: DataLogEntry[] = [];
  for (const d of drafts) {
    const p = d.pointer;
    versions.push({
      commit: d.commit?.commit ?? null,
      date: d.commit?.date ?? null,
      author: d.commit?.author ?? null,
      subject: d.commit?.subject ?? null,
      change: d.change,
      sha256: p?.sha256 ?? null,
      size: p?.size ?? null,
      ...(p?.files === undefined ? {} : { files: p.files }),
      manifest: p?.manifest ?? null,
      cached: p === undefined ? false : await pointerCached(ctx.blobs, p),
      runs:
        p === undefined || options.runsUsing === undefined
          ? []
          : await options.runsUsing(rel, p.sha256),
      ...(d.note === undefined ? {} : { note: d.note }),
    });
  }
  return { path: rel, git: !('reason' in ws), ...(note === undefined ? {} : { note }), versions };
}

interface Draft {
  readonly commit?: PathCommit;
  readonly change: DataLogEntry['change'];
  readonly pointer?: DataPointer;
  readonly note?: string;
}

/** Same version: same identity and kind (a re-chunked manifest alone is not a new version). */
function samePointer(a: DataPointer, b: DataPointer): boolean {
  return a.sha256 === b.sha256 && (a.files === undefined) === (b.files === undefined);
}
