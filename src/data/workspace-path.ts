import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { invalidParam } from '../core/index.js';
import type { DataContext } from './data-context.js';
import { ioError, isNotFound } from './fs-errors.js';
import { POINTER_SUFFIX } from './pointer.js';

/** A data path checked to lie inside the workspace. */
export interface DataPath {
  /** Absolute path as the user named it (symlinks not resolved). */
  readonly abs: string;
  /** Relative to the workspace root, with '/' separators: the name in pointers and .gitignore. */
  readonly rel: string;
}

const RESERVED = new Set(['.mlops', '.git']);

/**
 * Resolves `input` (relative to `ctx.cwd`) and refuses, naming it, a path outside the workspace
 * (`../x`, an absolute path elsewhere), the workspace itself, `.mlops/` and `.git/`, and a path
 * that is (or lies under) a symlink resolving outside the workspace.
 */
export async function resolveDataPath(ctx: DataContext, input: string): Promise<DataPath> {
  const abs = resolve(ctx.cwd ?? ctx.root, input);
  const rel = relative(ctx.root, abs);
  if (!isInside(rel)) {
    throw invalidParam(
      `Path '${input}' is outside the workspace ${ctx.root}; versioned data must live inside it (copy or move it there first).`,
      { path: input },
    );
  }
  const posix = rel.split(sep).join('/');
  const top = posix.split('/')[0] ?? '';
  if (RESERVED.has(top)) {
    throw invalidParam(`Path '${input}' lies in ${top}/, which mlops does not version.`, {
      path: input,
    });
  }
  const realRoot = await realpathOrSelf(ctx.root);
  const real = await realpathOfNearest(abs);
  if (!isInside(relative(realRoot, real))) {
    throw invalidParam(
      `Path '${input}' is a symlink (or lies under one) that resolves to ${real}, outside the workspace ${ctx.root}; copy the data into the workspace instead.`,
      { path: input, target: real },
    );
  }
  return { abs, rel: posix };
}

/** `input` with a trailing `.mlops` removed: users may name a pointer or its data. */
export function stripPointerSuffix(input: string): string {
  return input.endsWith(POINTER_SUFFIX) && input.length > POINTER_SUFFIX.length
    ? input.slice(0, -POINTER_SUFFIX.length)
    : input;
}

/** The absolute pointer path of a workspace-relative data path. */
export function pointerPathOf(root: string, rel: string): string {
  return join(root, ...rel.split('/')) + POINTER_SUFFIX;
}

function isInside(rel: string): boolean {
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

async function realpathOrSelf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    if (isNotFound(err)) return path;
    throw ioError('resolve', path, err);
  }
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
async function realpathOfNearest(path: string): Promise<string> {
  let rest = '';
  let dir = path;
  for (;;) {
    try {
      const real = await realpath(dir);
      return rest === '' ? real : join(real, rest);
    } catch (err) {
      if (!isNotFound(err)) throw ioError('resolve', dir, err);
    }
    const parent = dirname(dir);
    if (parent === dir) return path;
    rest = rest === '' ? relative(parent, dir) : join(relative(parent, dir), rest);
    dir = parent;
  }
}
