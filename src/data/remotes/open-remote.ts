import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { invalidParam, MlopsError } from '../../core/index.js';
import { LocalBlobStore, S3BlobStore, type BlobStore } from '../../blobs/index.js';
import { errnoOf, ioError } from '../fs-errors.js';
import { mapLimit } from '../map-limit.js';
import type { Remote } from './remote-config.js';
import { remoteLocation } from './remote-url.js';

/** An opened remote: its byte store plus a batched existence check and an unchecked upload. */
export interface RemoteStore {
  /** The remote's name (or its URL for a one-off `MLOPS_REMOTE` URL). */
  readonly name: string;
  /** `s3://bucket/prefix` or an absolute directory. */
  readonly location: string;
  readonly blobs: BlobStore;
  /**
   * The subset of `hashes` the remote holds (at most `concurrency` requests at once; an S3
   * remote lists key shards where that takes fewer requests than a lookup per blob). On S3, an
   * object whose size differs from the one `sizes` gives counts as missing: an S3-compatible
   * server may keep a truncated upload. A directory remote writes blobs whole (temp + rename).
   */
  hasMany(
    hashes: readonly string[],
    concurrency: number,
    onChecked?: (checked: number) => void,
    sizes?: ReadonlyMap<string, number>,
  ): Promise<Set<string>>;
  /**
   * Stores bytes that `hasMany` just found missing, without looking them up again first (on S3
   * that lookup doubled the requests of a push). Returns the hash, like `blobs.put`.
   */
  putMissing(bytes: Uint8Array): Promise<string>;
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
      hasMany: (hashes, concurrency, onChecked, sizes) =>
        store.hasMany(hashes, {
          concurrency,
          ...(onChecked === undefined ? {} : { onChecked }),
          ...(sizes === undefined ? {} : { sizes }),
        }),
      putMissing: (bytes) => store.put(bytes, { knownMissing: true }),
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
    async hasMany(hashes, concurrency, onChecked) {
      const present = new Set<string>();
      let checked = 0;
      await mapLimit([...new Set(hashes)], concurrency, async (hash) => {
        if (await store.has(hash)) present.add(hash);
        onChecked?.(++checked);
      });
      return present;
    },
    // A local put's own lookup is one stat: not worth skipping.
    putMissing: (bytes) => store.put(bytes),
    close: async () => {},
  };
}

async function checkDirectory(name: string, dir: string, mode: 'read' | 'write'): Promise<void> {
  let stats;
  try {
    stats = await stat(dir);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') throw withAdvice(ioError(`reach remote '${name}' at`, dir, err));
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
      throw withAdvice(ioError(`create the directory of remote '${name}',`, dir, inner));
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

/** What to do about a directory remote that cannot be reached or made. */
function withAdvice(err: MlopsError): MlopsError {
  return new MlopsError(
    err.code,
    `${err.message} Check its URL (\`mlops data remote list\`; change it with \`mlops data remote modify\`) and that the path is, or can be made, a directory you may write to.`,
    { cause: err.cause ?? err, details: { ...err.details } },
  );
}
