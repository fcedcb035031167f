import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where a workspace keeps its files (DESIGN.md §3). */
export interface WorkspacePaths {
  readonly root: string;
  readonly stateDir: string;
  readonly database: string;
  readonly blobs: string;
}

/**
 * The workspace that holds `cwd`: the nearest ancestor with a `.mlops/` directory or an
 * `mlops.yaml`, else `cwd` itself (a new workspace is created there on first write).
 */
export function findWorkspace(cwd = process.cwd()): WorkspacePaths {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.mlops')) || existsSync(join(dir, 'mlops.yaml'))) break;
    const parent = dirname(dir);
    if (parent === dir) {
      dir = resolve(cwd);
      break;
    }
    dir = parent;
  }
  return workspacePaths(dir);
}

export function workspacePaths(root: string): WorkspacePaths {
  const stateDir = join(root, '.mlops');
  return { root, stateDir, database: join(stateDir, 'mlops.db'), blobs: join(stateDir, 'blobs') };
}
