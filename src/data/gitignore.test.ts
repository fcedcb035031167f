import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ignoreInGit } from './gitignore.js';

describe('ignoreInGit', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'mlops-gitignore-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const read = () => readFile(join(dir, '.gitignore'), 'utf8');

  it('creates the file and adds each path once', async () => {
    expect(await ignoreInGit(dir, ['data/a.csv', 'data/a.csv'])).toEqual(['/data/a.csv']);
    expect(await ignoreInGit(dir, ['data/a.csv'])).toEqual([]);
    expect(await read()).toBe('/data/a.csv\n');
  });

  it('keeps existing content and recognises lines without the leading slash', async () => {
    await writeFile(join(dir, '.gitignore'), 'node_modules\ndata/b.csv');
    expect(await ignoreInGit(dir, ['data/b.csv', 'data/c[1].csv'])).toEqual(['/data/c\\[1\\].csv']);
    expect(await read()).toBe('node_modules\ndata/b.csv\n/data/c\\[1\\].csv\n');
    await ignoreInGit(dir, ['data/b.csv', 'data/c[1].csv']);
    expect(await read()).toBe('node_modules\ndata/b.csv\n/data/c\\[1\\].csv\n');
  });
});
