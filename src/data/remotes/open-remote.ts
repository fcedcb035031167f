import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { invalidParam, MlopsError } from '../../core/index.js';
import { LocalBlobStore, S3BlobStore, type BlobStore } from '../../blobs/index.js';
import { errnoOf, ioError } from '../fs-errors.js';
import { mapLimit } from '../map-limit.js';
import type { Remote } from './remote-config.js';
import { remoteLocation } from './remote-url.js';

/** An opened remote: its byte store plus a batched existence check. */
export interface RemoteStore {
  /** The remote's name (or its URL for a one-off `MLOPS_REMOTE` URL). */
  readonly name: string;
  /** `s3://bucket/prefix` or an absolute directory. */
  readonly location: string;
  readonly blobs: BlobStore;
  /** The subset of `hashes` the remote holds (parallel lookups, at most `concurrency` at once). */
  hasMany(hashes: readonly string[], concurrency: number): Promise<Set<string>>;
  /** Releases connections (S3 sockets); the remote is unusable afterwards. */
  close(): Promise<void>;
}

export interface OpenRemoteOptions {
  /** The workspace root: relative directory remotes resolve against it. */
  readonly root: string;
  /** The local cache's location, which a directory remote may not be. */
  readonly cacheLocation: string;
  /**
   * `write` (push) creates a missing remote directory; `read` (fetch, pull, status) reports it:
   * a missing directory means a mistyped path or nothing pushed yet.
   */
  readonly mode: 'read' | 'write';
}

/**
 * Opens `remote` without contacting it yet (S3 connects on first use; the AWS SDK loads then).
 * Credentials come from the environment or the AWS profile only.
 */
export async function openRemote(remote: Remote, options: OpenRemoteOptions): Promise<RemoteStore> {
  const where = remoteLocation(remote.url, options.root);
  if (where.kind === 's3') {
    const store = new S3BlobStore(where.url, {
      ...(remote.endpoint === undefined ? {} : { endpoint: remote.endpoint }),
      ...(remote.region === undefined ? {} : { region: remote.region }),
      ...(remote.profile === undefined ? {} : { profile: remote.profile }),
    });
    return {
      name: remote.name,
      location: store.location,
      blobs: store,
      hasMany: (hashes, concurrency) => store.hasMany(hashes, { concurrency }),
      close: () => store.close(),
    };
  }
  const dir = resolve(where.dir);
  if (dir === resolve(options.cacheLocation)) {
    throw invalidParam(
      `Remote '${remote.name}' is the workspace's own cache ${dir}; point it at another directory.`,
      { remote: remote.name },
    );
  }
  await checkDirectory(remote.name, dir, options.mode);
  const store = new LocalBlobStore(dir);
  return {
    name: remote.name,
    location: dir,
    blobs: store,
    async hasMany(hashes, concurrency) {
      const present = new Set<string>();
      await mapLimit([...new Set(hashes)], concurrency, async (hash) => {
        if (await store.has(hash)) present.add(hash);
      });
      return present;
    },
    close: async () => {},
  };
}

async function checkDirectory(name: string, dir: string, mode: 'read' | 'write'): Promise<void> {
  let stats;
  try {
    stats = await stat(dir);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') throw ioError(`reach remote '${name}' at`, dir, err);
    if (mode === 'read') {
      throw new MlopsError(
        'IO_ERROR',
        `Remote '${name}' is the directory ${dir}, which does not exist: check the path (\`mlops data remote list\`), or push to it first.`,
        { details: { remote: name, location: dir, reason: 'unreachable' } },
      );
    }
    try {
      await mkdir(dir, { recursive: true });
    } catch (inner) {
      throw ioError(`create the directory of remote '${name}',`, dir, inner);
    }
    return;
  }
  if (!stats.isDirectory()) {
    throw new MlopsError(
      'IO_ERROR',
      `Remote '${name}' should be a directory, but ${dir} is not one.`,
      { details: { remote: name, location: dir, reason: 'not_a_directory' } },
    );
  }
}
