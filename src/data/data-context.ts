import type { BlobStore } from '../blobs/index.js';

/** What the data commands work on: one workspace and its byte store. */
export interface DataContext {
  /** The workspace root (absolute); every versioned path lies inside it. */
  readonly root: string;
  /** The workspace state directory (`.mlops`), home of the stat cache. */
  readonly stateDir: string;
  /** The byte store the data's chunks and manifests live in. */
  readonly blobs: BlobStore;
  /** Relative paths given by the user resolve against this; default: `root`. */
  readonly cwd?: string;
  /** Files hashed or stored at once (default 4). */
  readonly concurrency?: number;
  /** Called with a workspace-relative path each time a data file's bytes are read (tests). */
  readonly onRead?: (relPath: string) => void;
}

export const DEFAULT_CONCURRENCY = 4;
