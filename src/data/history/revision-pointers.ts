import { findPointers, targetOf } from '../find-pointers.js';
import { parsePointer, readPointerFile, type DataPointer } from '../pointer.js';
import { pointerBlobsAt, readObjects, type CommittedPointer } from './git.js';

/** A pointer and the data path it versions (workspace-relative). */
export interface PathPointer {
  readonly path: string;
  readonly pointer: DataPointer;
}

/**
 * Reads and validates committed pointer blobs in one `git cat-file --batch`; `origin` names each
 * in errors (e.g. `3f2a1b9c0d1e:data/prices.csv.mlops`). An invalid pointer throws.
 */
export async function readCommittedPointers(
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
