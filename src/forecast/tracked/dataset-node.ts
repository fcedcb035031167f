import { relative, resolve, sep } from 'node:path';
import type { NodeRef } from '../../lineage/index.js';

/**
 * The lineage node of a dataset version: `data:/<path>@<sha256>`, the path relative to the working
 * directory when the file lies under it (as a pointer file would name it), else absolute.
 */
export function datasetNode(path: string, sha256: string, cwd = process.cwd()): NodeRef {
  const full = resolve(path);
  const rel = relative(cwd, full);
  const shown =
    rel !== '' && !rel.startsWith('..') ? rel.split(sep).join('/') : full.replace(/^\//, '');
  return { type: 'dataset', id: `${shown}@${sha256}` };
}
