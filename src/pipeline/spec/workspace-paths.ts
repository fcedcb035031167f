import { posix } from 'node:path';

/** Folders a pipeline may not write into. */
const RESERVED = new Set(['.git', '.mlops']);

/**
 * `input` (relative to the workspace-relative directory `base`) as a normalized, '/'-separated
 * workspace-relative path; '.' is the root. Absolute paths and paths leaving the workspace are
 * refused through `fail`.
 */
export function toWorkspacePath(base: string, input: string, fail: (why: string) => Error): string {
  const text = input.replaceAll('\\', '/');
  if (text.startsWith('/') || /^[A-Za-z]:\//.test(text)) {
    throw fail(`'${input}' is an absolute path; write it relative to the workspace`);
  }
  const joined = posix.normalize(base === '.' ? text : `${base}/${text}`);
  const rel = joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
  if (rel === '..' || rel.startsWith('../')) {
    throw fail(`'${input}' lies outside the workspace`);
  }
  return rel === '' ? '.' : rel;
}

/** `toWorkspacePath` for outputs: also refuses the root itself and `.git/`, `.mlops/`. */
export function toOutputPath(base: string, input: string, fail: (why: string) => Error): string {
  const rel = toWorkspacePath(base, input, fail);
  if (rel === '.') throw fail(`'${input}' is the whole workspace`);
  const top = rel.split('/')[0] ?? '';
  if (RESERVED.has(top)) throw fail(`'${input}' lies in ${top}/, which mlops manages itself`);
  return rel;
}

/** True when `inner` is `outer` or lies inside the directory `outer`. */
export function isWithin(inner: string, outer: string): boolean {
  return inner === outer || outer === '.' || inner.startsWith(`${outer}/`);
}

/** `a/b/c` -> `a/b`, `a`; the root is not listed. */
export function parentsOf(rel: string): string[] {
  const parents: string[] = [];
  for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
    parents.push(rel.slice(0, i));
  }
  return parents;
}
