import { Document, isScalar, parse, visit } from 'yaml';
import type { z } from 'zod';
import { MlopsError } from '../../core/index.js';
import { EXPECTED, modelManifestSchema, type ModelPackageManifest } from './model-manifest.js';

/** `a.b[0].c` for a zod issue path. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** The value at `path` in `value`, for showing what was found. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let here = value;
  for (const p of path) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<PropertyKey, unknown>)[p];
  }
  return here;
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * One sentence for the first problem zod found in `value`: the key, what it must be, and what
 * was there. Shared by every schema here, whose keys are all in `EXPECTED`.
 */
export function describeIssue(error: z.ZodError, value: unknown): string {
  const issue = error.issues[0];
  if (!issue) return 'it does not match the schema';
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length > 0 ? ` under '${keyPath(issue.path)}'` : '';
    return `unknown key '${issue.keys[0] ?? ''}'${where}`;
  }
  const key = keyPath(issue.path);
  const last = [...issue.path].reverse().find((p) => typeof p === 'string');
  const what = (last !== undefined && EXPECTED[String(last)]) || issue.message;
  if (issue.path.length === 0) return `expected a mapping of keys, got ${shown(value)}`;
  const found = valueAt(value, issue.path);
  if (found === undefined && issue.code === 'invalid_type') return `missing key '${key}' (${what})`;
  // A bad record key (a file path) arrives as an issue on the key itself.
  return `key '${key}' must be ${what}, got ${shown(found ?? issue.path.at(-1))}`;
}

/** Thrown for a manifest that cannot be trusted; names the file and the package. */
export function packageCorrupt(
  where: string,
  why: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): MlopsError {
  return new MlopsError('PACKAGE_CORRUPT', `Model package ${where}: ${why}.`, {
    ...(cause === undefined ? {} : { cause }),
    details,
  });
}

/**
 * Parses and validates `MLmodel` text. `where` names the package in errors (e.g. its hash);
 * anything invalid is `PACKAGE_CORRUPT` naming the key and what was expected.
 */
export function parseModelManifest(text: string, where: string): ModelPackageManifest {
  let value: unknown;
  try {
    value = parse(text, { uniqueKeys: true });
  } catch (cause) {
    const first = String((cause as Error).message).split('\n')[0] ?? '';
    throw packageCorrupt(where, `its MLmodel is not valid YAML (${first})`, {}, cause);
  }
  const parsed = modelManifestSchema.safeParse(value);
  if (!parsed.success) {
    throw packageCorrupt(where, `its MLmodel is invalid: ${describeIssue(parsed.error, value)}`, {
      file: 'MLmodel',
    });
  }
  return parsed.data;
}

/** The manifest as MLmodel YAML: keys in schema order, lists of scalars on one line. */
export function formatModelManifest(manifest: ModelPackageManifest): string {
  const doc = new Document(manifest, { aliasDuplicateObjects: false });
  visit(doc, {
    Seq(_key, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
