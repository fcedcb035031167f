import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { MlopsError } from '../core/index.js';
import type { DataContext } from './data-context.js';
import { ioError, isNotFound } from './fs-errors.js';
import { POINTER_SUFFIX } from './pointer.js';
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

const SKIPPED_DIRS = new Set(['.git', '.mlops', 'node_modules']);

export function targetOf(root: string, rel: string): PointerTarget {
  const pointerAbs = pointerPathOf(root, rel);
  return { rel, abs: join(root, ...rel.split('/')), pointerAbs, pointerRel: rel + POINTER_SUFFIX };
}

/**
 * Workspace-relative data paths of every pointer file under `dir` (default: the whole workspace),
 * sorted; `.git`, `.mlops` and `node_modules` are skipped and symlinks are not followed.
 */
export async function findPointers(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  async function walk(current: string): Promise<void> {
    let dirents;
    try {
      dirents = await readdir(current, { withFileTypes: true });
    } catch (err) {
      if (isNotFound(err)) return;
      throw ioError('list', current, err);
    }
    for (const d of dirents) {
      if (d.isDirectory()) {
        if (!SKIPPED_DIRS.has(d.name)) await walk(join(current, d.name));
      } else if (d.isFile() && d.name.endsWith(POINTER_SUFFIX) && d.name !== POINTER_SUFFIX) {
        const rel = relative(root, join(current, d.name)).split(sep).join('/');
        out.push(rel.slice(0, -POINTER_SUFFIX.length));
      }
    }
  }
  await walk(dir);
  return out.sort();
}

/**
 * The pointers that `inputs` name (a data path, its pointer, or a directory holding pointers),
 * or every pointer in the workspace when `inputs` is empty. A path with no pointer is
 * `RESOURCE_DOES_NOT_EXIST`.
 */
export async function pointerTargets(
  ctx: DataContext,
  inputs: readonly string[] = [],
): Promise<PointerTarget[]> {
  if (inputs.length === 0) return (await findPointers(ctx.root)).map((r) => targetOf(ctx.root, r));
  const seen = new Map<string, PointerTarget>();
  for (const input of inputs) {
    const { rel, abs } = await resolveDataPath(ctx, stripPointerSuffix(input));
    const target = targetOf(ctx.root, rel);
    if (await statIfExists(target.pointerAbs)) {
      seen.set(rel, target);
      continue;
    }
    const stats = await statIfExists(abs);
    const inside = stats?.isDirectory() ? await findPointers(ctx.root, abs) : [];
    if (inside.length === 0) {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `'${input}' is not versioned: there is no pointer ${target.pointerRel}. Version it with \`mlops data add ${input}\`.`,
        { details: { path: input } },
      );
    }
    for (const r of inside) seen.set(r, targetOf(ctx.root, r));
  }
  return [...seen.values()].sort((a, b) => (a.rel < b.rel ? -1 : 1));
}
