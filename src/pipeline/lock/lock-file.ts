import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { stringify } from 'yaml';
import { z } from 'zod';
import { MlopsError, invalidParam } from '../../core/index.js';
import { writeFileAtomic } from '../../blobs/index.js';
import {
  LOCK_FILE,
  LOCK_SCHEMA,
  type LockFile,
  type LockedDep,
  type LockedOut,
  type LockedStage,
} from './lock-types.js';

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 (64 hex digits)');
const DEP = z.strictObject({
  path: z.string().min(1),
  sha256: SHA256,
  size: z.number().int().nonnegative(),
  files: z.number().int().nonnegative().optional(),
});
const OUT = DEP.extend({
  manifest: SHA256.optional(),
  kind: z.enum(['metric', 'plot']).optional(),
});
const STAGE = z.strictObject({
  cmd: z.array(z.string()).optional(),
  uses: z.string().optional(),
  with: z.record(z.string(), z.unknown()).optional(),
  deps: z.array(DEP).default([]),
  params: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  outs: z.array(OUT).default([]),
});
const LOCK = z.strictObject({
  schema: z.literal(LOCK_SCHEMA),
  stages: z.record(z.string(), STAGE).default({}),
});

export const EMPTY_LOCK: LockFile = Object.freeze({ schema: LOCK_SCHEMA, stages: {} });

/** `mlops.lock` of the workspace at `root`; an empty lock when there is none yet. */
export async function readLockFile(root: string): Promise<LockFile> {
  let text: string;
  try {
    text = await readFile(join(root, LOCK_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_LOCK;
    throw new MlopsError('IO_ERROR', `Cannot read ${LOCK_FILE}: ${(err as Error).message}.`, {
      cause: err,
    });
  }
  return parseLockFile(text, LOCK_FILE);
}

/** Parses lock-file text (`shown` names it in errors, e.g. `HEAD:mlops.lock`). */
export function parseLockFile(text: string, shown: string): LockFile {
  let raw: unknown;
  try {
    // js-yaml reads it: several times faster than \`yaml\` on a cold start, and the lock needs no
    // source positions. The core schema, as \`yaml\` writes it (no timestamps: a date stays a string).
    raw = load(text, { schema: CORE_SCHEMA });
  } catch (err) {
    throw invalidParam(
      `${shown} is not valid YAML (${(err as Error).message.split('\n')[0] ?? ''}); restore it from git (\`git checkout -- ${LOCK_FILE}\`) or delete it to rerun every stage.`,
      { file: shown },
    );
  }
  if (raw === null || raw === undefined) return EMPTY_LOCK;
  const parsed = LOCK.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') ?? '';
    throw invalidParam(
      `${shown}: ${at === '' ? '' : `at '${at}': `}${issue?.message ?? 'invalid'}. The lock file is written by \`mlops repro\`; restore it from git or delete it to rerun every stage.`,
      { file: shown, field: at },
    );
  }
  return parsed.data as LockFile;
}

/** The lock file as YAML: keys in a stable order, so that diffs show only what changed. */
export function formatLockFile(lock: LockFile): string {
  const entries = Object.entries(lock.stages);
  if (entries.length === 0) return `schema: '${lock.schema}'\nstages: {}\n`;
  return `schema: '${lock.schema}'\nstages:\n${entries.map(([n, e]) => formatLockEntry(n, e)).join('')}`;
}

/** One stage's entry as it appears under `stages:` (indented), for writers that cache it. */
export function formatLockEntry(name: string, stage: LockedStage): string {
  const text = stringify(
    { [name]: orderStage(stage) },
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}

function orderStage(stage: LockedStage): Record<string, unknown> {
  return {
    ...(stage.cmd === undefined ? {} : { cmd: stage.cmd }),
    ...(stage.uses === undefined ? {} : { uses: stage.uses }),
    ...(stage.with === undefined ? {} : { with: stage.with }),
    deps: stage.deps.map(orderEntry),
    ...(Object.keys(stage.params).length === 0 ? {} : { params: stage.params }),
    outs: stage.outs.map(orderEntry),
  };
}

function orderEntry(e: LockedDep | LockedOut): Record<string, unknown> {
  const out = e as LockedOut;
  return {
    path: e.path,
    sha256: e.sha256,
    size: e.size,
    ...(e.files === undefined ? {} : { files: e.files }),
    ...(out.manifest === undefined ? {} : { manifest: out.manifest }),
    ...(out.kind === undefined ? {} : { kind: out.kind }),
  };
}

/** Writes `mlops.lock` (a lock, or its formatted text) atomically (temp file + fsync + rename). */
export async function writeLockFile(root: string, lock: LockFile | string): Promise<void> {
  const path = join(root, LOCK_FILE);
  const text = typeof lock === 'string' ? lock : formatLockFile(lock);
  try {
    await writeFileAtomic(path, [Buffer.from(text)]);
  } catch (err) {
    throw new MlopsError('IO_ERROR', `Cannot write ${LOCK_FILE}: ${(err as Error).message}.`, {
      cause: err,
    });
  }
}
