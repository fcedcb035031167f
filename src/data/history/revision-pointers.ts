import { findPointers, targetOf } from '../find-pointers.js';
import { parsePointer, readPointerFile, type DataPointer } from '../pointer.js';
import {
  pointerBlobsAt,
  pointerBlobsInAllCommits,
  readObjects,
  requireGitWorkspace,
  resolveCommit,
  type CommittedPointer,
} from './git.js';

/** A pointer and the data path it versions (workspace-relative). */
export interface PathPointer {
  readonly path: string;
  readonly pointer: DataPointer;
}

/**
 * Reads and validates committed pointer blobs in one `git cat-file --batch`; `origin` names each
 * in errors (e.g. `3f2a1b9c0d1e:data/prices.csv.mlops`). An invalid pointer throws.
 */
async function readCommittedPointers(
  root: string,
  committed: readonly CommittedPointer[],
  origin: (c: CommittedPointer) => string,
): Promise<PathPointer[]> {
  const texts = await readObjects(
    root,
    committed.map((c) => c.blob),
  );
  return committed.map((c, i) => ({
    path: c.path,
    pointer: parsePointer((texts[i] ?? Buffer.alloc(0)).toString('utf8'), origin(c)),
  }));
}

/** Which committed versions count besides the working tree (gc roots, push/fetch/pull). */
export interface RevisionSelection {
  /** Git revisions (branches, tags, commit ids, HEAD~2, ...) whose committed pointers count. */
  readonly revs?: readonly string[];
  /** Every commit reachable from any ref (branches, tags, remotes, stash). */
  readonly allCommits?: boolean;
}

/** A committed pointer and where it was found (the revision named, or its git blob id). */
export interface RevisionPointer extends PathPointer {
  readonly where: string;
}

/**
 * The distinct pointers committed at the selected revisions (none when nothing is selected),
 * each pointer blob read once however many commits hold it. An unknown revision, a workspace
 * outside git, or an invalid committed pointer throws, naming it.
 */
export async function pointersAtRevisions(
  root: string,
  selection: RevisionSelection,
): Promise<RevisionPointer[]> {
  const revs = selection.revs ?? [];
  if (revs.length === 0 && selection.allCommits !== true) return [];
  const ws = await requireGitWorkspace(root, revs.length > 0 ? '--rev' : '--all-commits');
  const found = new Map<string, { pointer: CommittedPointer; where: string }>();
  for (const rev of revs) {
    const commit = await resolveCommit(root, rev);
    for (const p of await pointerBlobsAt(root, ws.prefix, commit)) {
      if (!found.has(p.blob)) found.set(p.blob, { pointer: p, where: rev });
    }
  }
  if (selection.allCommits === true) {
    for (const p of await pointerBlobsInAllCommits(root, ws.prefix)) {
      if (!found.has(p.blob)) found.set(p.blob, { pointer: p, where: p.blob.slice(0, 12) });
    }
  }
  const entries = [...found.values()];
  const pointers = await readCommittedPointers(
    root,
    entries.map((e) => e.pointer),
    (c) => `${found.get(c.blob)?.where ?? c.blob}:${c.path}.mlops`,
  );
  return pointers.map((p, i) => ({ ...p, where: entries[i]?.where ?? '' }));
}

/** Every pointer in the workspace part of `commit`, sorted by path. */
export async function pointersAtCommit(
  root: string,
  prefix: string,
  commit: string,
): Promise<PathPointer[]> {
  const committed = await pointerBlobsAt(root, prefix, commit);
  return readCommittedPointers(root, committed, (c) => `${commit.slice(0, 12)}:${c.path}.mlops`);
}

/** Every pointer file in the working tree, sorted by path. */
export async function pointersInWorkingTree(root: string): Promise<PathPointer[]> {
  const out: PathPointer[] = [];
  for (const rel of await findPointers(root)) {
    const target = targetOf(root, rel);
    out.push({ path: rel, pointer: await readPointerFile(target.pointerAbs, target.pointerRel) });
  }
  return out;
}
