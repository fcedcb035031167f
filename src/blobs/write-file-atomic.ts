import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface WriteFileAtomicOptions {
  /**
   * Runs after the bytes are durable and before they get their name, with the temp file's path
   * (to check the new content as a file); throw to abandon them.
   */
  readonly beforeRename?: (temp: string) => void | Promise<void>;
  /** Permission bits of the new file before the umask (default 0o666), e.g. the old file's. */
  readonly mode?: number;
}

/**
 * Writes `chunks` to a temp file beside `dest` (same directory, so rename is atomic), fsyncs it,
 * then renames it over `dest`: readers see the old file or the whole new one, never a half one.
 * On any failure the temp file is removed. Temp names start with '.' and end in '.tmp'. The
 * parent directory must exist. Errors are raw Node errors; callers wrap them.
 */
export async function writeFileAtomic(
  dest: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const dir = dirname(dest);
  const temp = join(dir, `.${basename(dest)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', options.mode ?? 0o666);
    for await (const chunk of chunks) await writeAll(handle, chunk);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await options.beforeRename?.(temp);
    await rename(temp, dest);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dir);
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Makes the rename itself durable; best effort, since some platforms cannot fsync a directory. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not fatal: the data is already synced; only the name may be lost on power failure.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
