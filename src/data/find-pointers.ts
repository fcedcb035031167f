import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { MlopsError } from '../core/index.js';
import type { DataContext } from './data-context.js';
import { ioError, isNotFound } from './fs-errors.js';
import { POINTER_SUFFIX } from './pointer.js';
import { pointerDataName, SKIPPED_DIRS } from './walk-files.js';
import { statIfExists } from './workspace-hash.js';
import { pointerPathOf, resolveDataPath, stripPointerSuffix } from './workspace-path.js';

/** A versioned path: its data (workspace-relative and absolute) and its pointer file. */
export interface PointerTarget {
  readonly rel: string;
  readonly abs: string;
  readonly pointerAbs: string;
  /** The pointer as named in messages (workspace-relative). */
  readonly pointerRel: string;
}

export function targetOf(root: string, rel: string): PointerTarget {
  const pointerAbs = pointerPathOf(root, rel);
  return { rel, abs: join(root, ...rel.split('/')), pointerAbs, pointerRel: rel + POINTER_SUFFIX };
}

export interface FindPointersOptions {
  /**
   * Also look inside versioned directories (those with a pointer beside them); default true.
   * Callers that walk each versioned directory anyway pass false and take the pointers that
   * walk meets (`DirectoryWalk.pointers`), instead of reading 100,000 entries twice.
   */
  readonly intoVersioned?: boolean;
}

/**
 * Workspace-relative data paths of every pointer file under `dir` (default: the whole workspace),
 * sorted; `.git`, `.mlops` and `node_modules` are skipped and symlinks are not followed.
 */
export async function findPointers(
  root: string,
  dir = root,
  options: FindPointersOptions = {},
): Promise<string[]> {
  const out: string[] = [];
  async function walk(current: string): Promise<void> {
    let dirents;
    try {
      dirents = await readdir(current, { withFileTypes: true });
    } catch (err) {
      if (isNotFound(err)) return;
      throw ioError('list', current, err);
    }
    const versioned = new Set<string>();
    for (const d of dirents) {
      const data = d.isFile() ? pointerDataName(d.name) : undefined;
      if (data === undefined) continue;
      versioned.add(data);
      out.push(relative(root, join(current, data)).split(sep).join('/'));
    }
    const skipVersioned = options.intoVersioned === false;
    const subdirs = dirents.filter(
      (d) =>
        d.isDirectory() && !SKIPPED_DIRS.has(d.name) && !(skipVersioned && versioned.has(d.name)),
    );
    await Promise.all(subdirs.map((d) => walk(join(current, d.name))));
  }
  await walk(dir);
  return out.sort();
}

/** A pointer target, and whether a search found it (rather than an input naming it). */
export interface FoundTarget extends PointerTarget {
  readonly searched: boolean;
}

/**
 * The pointers that `inputs` name (a data path, its pointer, or a directory holding pointers),
 * or every pointer in the workspace when `inputs` is empty. A path with no pointer is
 * `RESOURCE_DOES_NOT_EXIST`. With `intoVersioned: false` the pointers inside versioned
 * directories are left for the caller to take from its walk of them (see FindPointersOptions).
 */
export async function pointerTargets(
  ctx: DataContext,
  inputs: readonly string[] = [],
  options: FindPointersOptions = {},
): Promise<FoundTarget[]> {
  const seen = new Map<string, FoundTarget>();
  const found = async (dir: string) => {
    const rels = await findPointers(ctx.root, dir, options);
    for (const r of rels) seen.set(r, { ...targetOf(ctx.root, r), searched: true });
    return rels.length;
  };
  if (inputs.length === 0) await found(ctx.root);
  for (const input of inputs) {
    const { rel, abs } = await resolveDataPath(ctx, stripPointerSuffix(input));
    const target = targetOf(ctx.root, rel);
    if (await statIfExists(target.pointerAbs)) {
      if (!seen.has(rel)) seen.set(rel, { ...target, searched: false });
      continue;
    }
    const stats = await statIfExists(abs);
    if (!stats?.isDirectory() || (await found(abs)) === 0) {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `'${input}' is not versioned: there is no pointer ${target.pointerRel}. Version it with \`mlops data add ${input}\`.`,
        { details: { path: input } },
      );
    }
  }
  return [...seen.values()].sort((a, b) => (a.rel < b.rel ? -1 : 1));
}
