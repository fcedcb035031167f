import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-file-atomic.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-atomic-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes all chunks under the name', async () => {
    await writeFileAtomic(join(dir, 'out'), [Buffer.from('ab'), Buffer.from('cd')]);
    expect(await readFile(join(dir, 'out'), 'utf8')).toBe('abcd');
    expect(await readdir(dir)).toEqual(['out']);
  });

  it('leaves the old file and no temp file when the source fails midway', async () => {
    await writeFile(join(dir, 'out'), 'old');
    async function* failing() {
      yield Buffer.from('new half');
      throw new Error('source broke');
    }
    await expect(writeFileAtomic(join(dir, 'out'), failing())).rejects.toThrow('source broke');
    expect(await readFile(join(dir, 'out'), 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['out']);
  });

  it('abandons the bytes when beforeRename throws', async () => {
    const write = writeFileAtomic(join(dir, 'out'), [Buffer.from('x')], {
      beforeRename: () => {
        throw new Error('checksum mismatch');
      },
    });
    await expect(write).rejects.toThrow('checksum mismatch');
    expect(await readdir(dir)).toEqual([]);
  });
});
