import { execFile } from 'node:child_process';
import { open, type FileHandle } from 'node:fs/promises';

let syncfsWorks: boolean | undefined;

/**
 * Makes everything written to the file system holding `dir` durable with one `syncfs(2)` (through
 * coreutils `sync -f`, as Node has no binding), which costs one journal commit instead of one
 * fsync per file. Where that is not available, fsyncs each of `paths` (and their directories).
 */
export async function syncFileSystem(
  dir: string,
  paths: Iterable<string>,
  options: { readonly syncfs?: boolean } = {},
): Promise<void> {
  if (options.syncfs !== false && syncfsWorks !== false) {
    try {
      await runSync(dir);
      syncfsWorks = true;
      return;
    } catch {
      syncfsWorks = false;
    }
  }
  await fsyncEach(paths);
}

function runSync(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sync', ['-f', dir], (err) => (err ? reject(err) : resolve()));
  });
}

async function fsyncEach(paths: Iterable<string>): Promise<void> {
  const all = [...new Set(paths)];
  const dirs = new Set(all.map((p) => p.slice(0, p.lastIndexOf('/')) || '/'));
  const queue = [...all, ...dirs];
  const worker = async () => {
    for (let path = queue.pop(); path !== undefined; path = queue.pop()) await fsyncPath(path);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function fsyncPath(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (err) {
    // A blob deleted since it was written has nothing left to make durable.
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
