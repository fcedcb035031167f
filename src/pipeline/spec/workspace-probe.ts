import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data module's pointer suffix (`data/prices.csv.mlops`), written here rather than imported
 * so that loading a pipeline does not load the data module (a no-op `mlops repro` must start
 * fast); a test keeps the two equal.
 */
export const POINTER_SUFFIX = '.mlops';

/** What parsing a pipeline may ask of the workspace (all paths workspace-relative, '/'-separated). */
export interface WorkspaceProbe {
  /** The file's text; undefined when it does not exist. */
  readText(rel: string): Promise<string | undefined>;
  /** A file or directory exists at the path. */
  exists(rel: string): Promise<boolean>;
  /** `<rel>.mlops` exists: `rel` is a versioned dataset. */
  isVersioned(rel: string): Promise<boolean>;
}

const isMissing = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
};

/**
 * The workspace at `root` on disk. Existence checks are synchronous `stat`s that do not throw
 * for missing paths: a pipeline asks hundreds of them, and building an error object for each
 * missing path (most outs have no pointer) costs more than the check itself. Loading a
 * pipeline is the start of a command, with nothing else to overlap with.
 */
export function diskProbe(root: string): WorkspaceProbe {
  const abs = (rel: string) => join(root, ...rel.split('/'));
  const exists = (rel: string): Promise<boolean> => {
    try {
      return Promise.resolve(statSync(abs(rel), { throwIfNoEntry: false }) !== undefined);
    } catch (err) {
      if (isMissing(err)) return Promise.resolve(false);
      return Promise.reject(err as Error);
    }
  };
  return {
    readText(rel) {
      // Synchronous too: the first `fs/promises` readFile of a process loads Node's stream
      // modules (tens of ms), and these files are small.
      try {
        return Promise.resolve(readFileSync(abs(rel), 'utf8'));
      } catch (err) {
        if (isMissing(err)) return Promise.resolve(undefined);
        return Promise.reject(err as Error);
      }
    },
    exists,
    isVersioned: (rel) => exists(`${rel}${POINTER_SUFFIX}`),
  };
}
