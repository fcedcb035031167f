import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncFileSystem } from './sync-filesystem.js';

describe('syncFileSystem', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-sync-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it.each([true, false])(
    'syncs written files (syncfs %s), tolerating ones deleted since',
    async (syncfs) => {
      const paths = [join(dir, 'a'), join(dir, 'b')];
      for (const p of paths) await writeFile(p, 'bytes');
      await syncFileSystem(dir, [...paths, join(dir, 'gone')], { syncfs });
      expect(await readFile(paths[0]!, 'utf8')).toBe('bytes');
    },
  );

  it('reports a path it cannot open when falling back to one fsync per file', async () => {
    // A path under a file cannot be opened (ENOTDIR): the fallback reports it.
    await writeFile(join(dir, 'file'), 'x');
    await expect(
      syncFileSystem(dir, [join(dir, 'file', 'child')], { syncfs: false }),
    ).rejects.toThrow(/ENOTDIR/);
  });
});
