import { DEFAULT_PARAMS_FILE, type StageSpec } from '../spec/pipeline-spec.js';
import { canonicalJson } from '../lock/canonical-json.js';
import type { LockedDep, LockedStage } from '../lock/lock-types.js';

/** What a path holds now (directories: listing hash and file count). */
export type PathState =
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'file' | 'directory';
      readonly sha256: string;
      readonly size: number;
      readonly files?: number;
    };

/** The stage's params as the lock records them: file -> dotted key -> value, `params.yaml` first. */
export function paramsOf(stage: StageSpec): Record<string, Record<string, unknown>> {
  const files = [...new Set(stage.params.map((p) => p.file))].sort((a, b) =>
    a === DEFAULT_PARAMS_FILE ? -1 : b === DEFAULT_PARAMS_FILE ? 1 : a.localeCompare(b),
  );
  const out: Record<string, Record<string, unknown>> = {};
  for (const file of files) {
    const values: Record<string, unknown> = {};
    for (const p of stage.params
      .filter((q) => q.file === file)
      .sort((a, b) => a.key.localeCompare(b.key))) {
      values[p.key] = p.value;
    }
    out[file] = values;
  }
  return out;
}

/** The part of a lock entry that says what ran: `cmd`, or `uses` and `with`. */
export function definitionOf(stage: StageSpec): Pick<LockedStage, 'cmd' | 'uses' | 'with'> {
  if (stage.uses !== undefined) return { uses: stage.uses, with: stage.with ?? {} };
  return { cmd: stage.cmd ?? [] };
}

export function lockedDeps(
  stage: StageSpec,
  states: ReadonlyMap<string, PathState>,
): LockedDep[] | undefined {
  const deps: LockedDep[] = [];
  for (const path of stage.deps) {
    const s = states.get(path);
    if (s === undefined || s.kind === 'missing') return undefined;
    deps.push({
      path,
      sha256: s.sha256,
      size: s.size,
      ...(s.files === undefined ? {} : { files: s.files }),
    });
  }
  return deps;
}

/**
 * Why the stage must run, in DVC's order (definition, deps, params, outs), or [] when the lock
 * says it is up to date. `always_changed` and a missing entry are reasons of their own.
 */
export function staleReasons(
  stage: StageSpec,
  locked: LockedStage | undefined,
  deps: ReadonlyMap<string, PathState>,
  outs: ReadonlyMap<string, PathState>,
): string[] {
  if (locked === undefined) return ['new stage (no entry in mlops.lock)'];
  const reasons: string[] = [];
  const def = definitionOf(stage);
  if (def.uses !== undefined) {
    if (locked.uses !== def.uses)
      reasons.push(`step changed (${locked.uses ?? 'cmd'} -> ${def.uses})`);
    else if (canonicalJson(locked.with ?? {}) !== canonicalJson(def.with)) {
      reasons.push('step arguments (with:) changed');
    }
  } else if (canonicalJson(locked.cmd ?? null) !== canonicalJson(def.cmd)) {
    reasons.push('command changed');
  }
  if (stage.alwaysChanged) reasons.push('always_changed');
  // DVC's callback stage: nothing to compare, so it always runs.
  if (stage.deps.length === 0 && stage.outs.length === 0 && stage.params.length === 0) {
    reasons.push('no deps, params or outs (callback stage): always runs');
  }
  const lockedDepsByPath = new Map(locked.deps.map((d) => [d.path, d]));
  for (const path of stage.deps) {
    const now = deps.get(path);
    const then = lockedDepsByPath.get(path);
    if (now === undefined || now.kind === 'missing') reasons.push(`dep ${path} deleted`);
    else if (then === undefined) reasons.push(`dep ${path} new`);
    else if (then.sha256 !== now.sha256) reasons.push(`dep ${path} modified`);
  }
  for (const d of locked.deps) {
    if (!stage.deps.includes(d.path)) reasons.push(`dep ${d.path} removed`);
  }
  const params = paramsOf(stage);
  for (const [file, values] of Object.entries(params)) {
    const then = locked.params[file] ?? {};
    for (const [key, value] of Object.entries(values)) {
      if (!(key in then)) reasons.push(`param ${paramName(file, key)} new`);
      else if (canonicalJson(then[key]) !== canonicalJson(value)) {
        reasons.push(`param ${paramName(file, key)} changed (${describeChange(then[key], value)})`);
      }
    }
  }
  for (const [file, values] of Object.entries(locked.params)) {
    for (const key of Object.keys(values)) {
      if (params[file]?.[key] === undefined && !(key in (params[file] ?? {}))) {
        reasons.push(`param ${paramName(file, key)} removed`);
      }
    }
  }
  const lockedOuts = new Map(locked.outs.map((o) => [o.path, o]));
  for (const out of stage.outs) {
    const now = outs.get(out.path);
    const then = lockedOuts.get(out.path);
    if (then === undefined) reasons.push(`out ${out.path} new`);
    else if (now === undefined || now.kind === 'missing') reasons.push(`out ${out.path} missing`);
    else if (now.sha256 !== then.sha256) reasons.push(`out ${out.path} modified`);
  }
  for (const o of locked.outs) {
    if (!stage.outs.some((out) => out.path === o.path)) reasons.push(`out ${o.path} removed`);
  }
  return reasons;
}

/** True when every reason is a missing out: restoring them from the store is enough. */
export function onlyOutsMissing(reasons: readonly string[]): boolean {
  return reasons.length > 0 && reasons.every((r) => r.startsWith('out ') && r.endsWith(' missing'));
}

export function paramName(file: string, key: string): string {
  return file === DEFAULT_PARAMS_FILE ? key : `${file}:${key}`;
}

/** `old -> new`, or for mappings the changed keys inside: `epochs: 8 -> 6, seed: 1 -> 2`. */
function describeChange(before: unknown, after: unknown): string {
  const changes: string[] = [];
  const walk = (a: unknown, b: unknown, prefix: string) => {
    if (isMapping(a) && isMapping(b)) {
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        walk(a[k], b[k], prefix === '' ? k : `${prefix}.${k}`);
      }
    } else if (canonicalJson(a) !== canonicalJson(b)) {
      changes.push(`${prefix === '' ? '' : `${prefix}: `}${short(a)} -> ${short(b)}`);
    }
  };
  walk(before, after, '');
  return changes.length > 3 ? `${changes.slice(0, 3).join(', ')}, ...` : changes.join(', ');
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
