/**
 * The one content-addressed byte store. Every blob is named by the sha256 of its bytes (64
 * lower-case hex), so a name is also a checksum.
 *
 * Contract (checked by `blobStoreSuite` in src/testing for every implementation):
 * - `put` returns the sha256 hex of `bytes`; it is idempotent, and bytes already present are not
 *   written again. A blob becomes visible only complete (temp + rename, or S3 multipart
 *   complete): a crash never leaves a half object under a valid name.
 * - `flush` makes every blob put so far durable (it survives power loss, not just a crash of the
 *   process). Stores may defer that work from `put` to `flush`, so callers flush once at their
 *   commit point (before writing the pointer or record that names the blobs).
 * - `get` returns the bytes, re-hashed on read: `BLOB_NOT_FOUND` (naming the hash) when absent,
 *   `BLOB_CORRUPT` when the stored bytes no longer match their name.
 * - `has`, `size` and `delete` look only at one name; `delete` of an absent blob is a no-op.
 * - `list` yields every stored hash once, in no promised order, and never temp objects.
 * - Every method refuses a hash that is not 64 lower-case hex with `INVALID_PARAMETER_VALUE`,
 *   so no hash argument can reach outside the store.
 */
export interface BlobStore {
  /** Where the blobs live (a directory, `s3://bucket/prefix`), for messages. */
  readonly location: string;
  put(bytes: Uint8Array): Promise<string>;
  get(hash: string): Promise<Uint8Array>;
  has(hash: string): Promise<boolean>;
  /** Stored size in bytes (`BLOB_NOT_FOUND` when absent); gc reports bytes freed with it. */
  size(hash: string): Promise<number>;
  delete(hash: string): Promise<void>;
  list(): AsyncIterable<string>;
  flush(): Promise<void>;
  /**
   * Removes temp objects a crashed writer left behind (only those no live writer can still be
   * writing); the count removed. Stores without temp objects leave it out. gc calls it.
   */
  sweepTemps?(): Promise<number>;
}
