import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from './blob-hash.js';
import { LocalBlobStore } from './local-blob-store.js';

describe('LocalBlobStore', () => {
  let dir: string;
  let store: LocalBlobStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-local-blobs-'));
    store = new LocalBlobStore(join(dir, 'blobs'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lays blobs out as <root>/<first 2 hex>/<rest> and leaves no temp files', async () => {
    const hash = await store.put(Buffer.from('layout'));
    expect(store.pathOf(hash)).toBe(join(dir, 'blobs', hash.slice(0, 2), hash.slice(2)));
    expect(await readdir(join(dir, 'blobs'))).toEqual([hash.slice(0, 2)]);
    expect(await readdir(join(dir, 'blobs', hash.slice(0, 2)))).toEqual([hash.slice(2)]);
  });

  it("sweeps temp files of dead writers and old ones, keeping live writers' fresh ones", async () => {
    const hash = await store.put(Buffer.from('real'));
    const prefix = join(dir, 'blobs', hash.slice(0, 2));
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid; // exited: nobody has it now
    const dead = `.${hash.slice(0, 2)}.${deadPid}.0a1b2c3d.7.tmp`;
    const live = `.${hash.slice(0, 2)}.${process.pid}.0a1b2c3d.8.tmp`;
    const old = `.${hash.slice(2)}.${process.pid}.abcdef.tmp`; // writeFileAtomic's naming
    for (const name of [dead, live, old]) await writeFile(join(prefix, name), 'half');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    await utimes(join(prefix, old), twoHoursAgo, twoHoursAgo);
    expect(await store.sweepTemps()).toBe(2);
    expect((await readdir(prefix)).sort()).toEqual([live, hash.slice(2)].sort());
    expect(Buffer.from(await store.get(hash)).toString()).toBe('real');
  });

  it('ignores stray files when listing', async () => {
    const hash = await store.put(Buffer.from('real'));
    const prefix = join(dir, 'blobs', hash.slice(0, 2));
    await writeFile(join(prefix, `.${hash.slice(2)}.123.abc.tmp`), 'half');
    await writeFile(join(dir, 'blobs', 'README'), 'x');
    const listed: string[] = [];
    for await (const h of store.list()) listed.push(h);
    expect(listed).toEqual([hash]);
  });

  it('rewrites a blob whose file was truncated', async () => {
    const bytes = Buffer.from('complete bytes');
    const hash = await store.put(bytes);
    await writeFile(store.pathOf(hash), 'comp');
    await store.put(bytes);
    expect(Buffer.from(await store.get(hash)).equals(bytes)).toBe(true);
  });

  it('refuses path traversal through hash arguments', () => {
    expect(() => store.pathOf('../../../../etc/passwd')).toThrow(/64 lower-case hex/);
  });

  it('lists nothing when the root does not exist yet', async () => {
    const listed: string[] = [];
    for await (const h of store.list()) listed.push(h);
    expect(listed).toEqual([]);
    expect(await store.has(sha256Hex(Buffer.from('x')))).toBe(false);
  });

  it('reports write failures as IO_ERROR naming the path', async () => {
    await writeFile(join(dir, 'file'), 'not a directory');
    const broken = new LocalBlobStore(join(dir, 'file'));
    await expect(broken.put(Buffer.from('x'))).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining(join(dir, 'file')),
    });
  });
});
