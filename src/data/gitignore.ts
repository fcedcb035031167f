import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../blobs/index.js';
import { errnoOf, ioError, isNotFound } from './fs-errors.js';

/**
 * Adds `/rel` for each workspace-relative data path to the workspace's `.gitignore` (created when
 * absent), keeping the existing content and adding no line already there (with or without the
 * leading '/'). Returns the lines added; writes nothing when there are none.
 */
export async function ignoreInGit(root: string, rels: readonly string[]): Promise<string[]> {
  const path = join(root, '.gitignore');
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (!isNotFound(err)) throw ioError('read', path, err);
  }
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim()));
  const added: string[] = [];
  for (const rel of rels) {
    const line = `/${escapeGlob(rel)}`;
    if (present.has(line) || present.has(line.slice(1))) continue;
    present.add(line);
    added.push(line);
  }
  if (added.length === 0) return added;
  const prefix = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  try {
    await writeFileAtomic(path, [Buffer.from(`${prefix}${added.join('\n')}\n`, 'utf8')]);
  } catch (err) {
    throw ioError('write', path, err);
  }
  return added;
}

/** Escapes the characters .gitignore treats as patterns, so the line names exactly `rel`. */
function escapeGlob(rel: string): string {
  return rel.replace(/[*?[\]\\!#]/g, (c) => `\\${c}`).replace(/ $/, '\\ ');
}

/**
 * Makes git ignore the state directory (`.mlops/`: database, byte store, stat cache) with a
 * `.gitignore` of `*` inside it, like `.dvc/.gitignore`; an existing one is left alone.
 */
export async function ignoreStateDir(stateDir: string): Promise<void> {
  const path = join(stateDir, '.gitignore');
  try {
    await mkdir(stateDir, { recursive: true });
    await writeFile(path, '# mlops state: database, byte store, caches (never committed)\n*\n', {
      flag: 'wx',
    });
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') return;
    throw ioError('write', path, err);
  }
}
