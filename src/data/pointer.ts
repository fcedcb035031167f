import { readFile } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { MlopsError, invalidParam } from '../core/index.js';
import { writeFileAtomic } from '../blobs/index.js';
import { ioError, isNotFound } from './fs-errors.js';

/** A pointer file sits beside its data: `data/prices.csv` -> `data/prices.csv.mlops`. */
export const POINTER_SUFFIX = '.mlops';

/**
 * What git tracks for a versioned file or directory (the data itself is git-ignored).
 * `sha256` is the identity: of the file's bytes, or for a directory of its sorted listing of
 * (path, sha256, mode). `manifest` names the bytes in the store: the file's chunk manifest, or
 * for a directory the manifest of its stored listing (see directory-listing.ts).
 */
export interface DataPointer {
  readonly mlops: 1;
  readonly hash: 'sha256';
  readonly sha256: string;
  readonly size: number;
  /** Directories only: how many files. */
  readonly files?: number;
  readonly manifest: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().nonnegative();
const pointerSchema = z.strictObject({
  mlops: z.literal(1),
  hash: z.literal('sha256'),
  sha256: hex64,
  size: count,
  files: count.optional(),
  manifest: hex64,
});

/** What each field must be, in the words an error shows. */
const EXPECTED: Readonly<Record<string, string>> = {
  mlops: 'the pointer format version 1',
  hash: "the hash algorithm 'sha256'",
  sha256: 'the data hash as 64 lower-case hex characters',
  size: 'the data size in bytes as a non-negative integer',
  files: 'the file count of a directory as a non-negative integer',
  manifest: 'a byte store manifest id as 64 lower-case hex characters',
};

/**
 * Parses pointer text; anything invalid is `INVALID_PARAMETER_VALUE` naming `file`, the line,
 * the field and what was expected.
 */
export function parsePointer(text: string, file: string): DataPointer {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  const fail = (line: number, what: string, field?: string) =>
    invalidParam(
      `Invalid pointer file ${file}, line ${line}: ${what}. Fix it by hand, or restore it with \`git checkout -- ${file}\` and run \`mlops data add\` again.`,
      { file, line, ...(field === undefined ? {} : { field }) },
    );
  const syntax = doc.errors[0];
  if (syntax) {
    throw fail(lineOf(syntax.pos[0]), `not valid YAML (${firstLine(syntax.message)})`);
  }
  if (!isMap(doc.contents)) {
    throw fail(
      lineOf(doc.contents?.range?.[0]),
      `expected a mapping with the fields ${Object.keys(EXPECTED).join(', ')}`,
    );
  }
  const parsed = pointerSchema.safeParse(doc.toJS());
  if (parsed.success) {
    const { files, ...rest } = parsed.data;
    return files === undefined ? rest : { ...rest, files };
  }
  const issue = parsed.error.issues[0];
  const map = doc.contents;
  const field = String(issue?.path[0] ?? '');
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const keyNode = pair?.key as Node | undefined;
    throw fail(
      lineOf(keyNode?.range?.[0]),
      `unknown field '${key}' (expected only ${Object.keys(EXPECTED).join(', ')})`,
      key,
    );
  }
  const node = map.get(field, true) as Node | undefined;
  if (node === undefined) {
    throw fail(lineOf(map.range[0]), `missing field '${field}' (${EXPECTED[field] ?? ''})`, field);
  }
  const got = isScalar(node) ? JSON.stringify(node.value) : 'a nested value';
  throw fail(
    lineOf(node.range?.[0]),
    `field '${field}' must be ${EXPECTED[field] ?? 'valid'}, got ${got}`,
    field,
  );
}

/** The pointer as the YAML text written to disk (fixed field order). */
export function formatPointer(pointer: DataPointer): string {
  return [
    `mlops: ${pointer.mlops}`,
    `hash: ${pointer.hash}`,
    `sha256: ${pointer.sha256}`,
    `size: ${pointer.size}`,
    ...(pointer.files === undefined ? [] : [`files: ${pointer.files}`]),
    `manifest: ${pointer.manifest}`,
    '',
  ].join('\n');
}

/** Reads and validates the pointer at `path` (absolute); `shown` names it in errors. */
export async function readPointerFile(path: string, shown: string): Promise<DataPointer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) {
      throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `Pointer file ${shown} does not exist.`, {
        cause: err,
      });
    }
    throw ioError('read', shown, err);
  }
  return parsePointer(text, shown);
}

/** The pointer at `path`, or undefined when there is none (invalid ones still throw). */
export async function readPointerIfExists(
  path: string,
  shown: string,
): Promise<DataPointer | undefined> {
  try {
    return await readPointerFile(path, shown);
  } catch (err) {
    if (MlopsError.is(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
    throw err;
  }
}

/** Writes the pointer atomically; returns false (writing nothing) when the file already says so. */
export async function writePointerFile(path: string, pointer: DataPointer): Promise<boolean> {
  const text = formatPointer(pointer);
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing === text) return false;
  try {
    await writeFileAtomic(path, [Buffer.from(text, 'utf8')]);
  } catch (err) {
    throw ioError('write', path, err);
  }
  return true;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
