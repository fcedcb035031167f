import type { StageOrigin } from './build-stage.js';
import type { OutSpec } from './pipeline-spec.js';
import { parentsOf } from './workspace-paths.js';
import { POINTER_SUFFIX, type WorkspaceProbe } from './workspace-probe.js';
import type { SourcePath, YamlSource } from './yaml-source.js';

interface Written {
  readonly origin: StageOrigin;
  readonly out: OutSpec;
  readonly at: SourcePath;
}

/**
 * Checks the outputs and deps of all stages together: each out written once, no out inside
 * another, no out that is (or lies in) a versioned dataset, and each dep produced by a stage or
 * present in the workspace. Errors give both lines where two places are involved.
 */
export async function checkPaths(
  source: YamlSource,
  origins: readonly StageOrigin[],
  probe: Pick<WorkspaceProbe, 'exists' | 'isVersioned'>,
): Promise<void> {
  const line = (w: { origin: StageOrigin; at: SourcePath }) =>
    source.lineOf([...w.origin.bodyPath, ...w.at]);
  const fail = (
    w: Written | { origin: StageOrigin; at: SourcePath },
    message: string,
    field: string,
  ) => source.fail([...w.origin.bodyPath, ...w.at], message, { stage: w.origin.stage.name, field });

  const written = new Map<string, Written>();
  for (const origin of origins) {
    for (const [i, out] of origin.stage.outs.entries()) {
      const here: Written = { origin, out, at: origin.outPaths[i] ?? [] };
      const first = written.get(out.path);
      if (first) {
        const who =
          first.origin === origin
            ? `stage '${origin.stage.name}' lists '${out.path}' twice (lines ${line(first)} and ${line(here)})`
            : `stages '${first.origin.stage.name}' (line ${line(first)}) and '${origin.stage.name}' (line ${line(here)}) both write '${out.path}'`;
        throw fail(here, `${who}; each output must have one producer`, String(here.at[0]));
      }
      written.set(out.path, here);
    }
  }
  const outsWithin = new Set<string>();
  for (const [path, here] of written) {
    for (const parent of parentsOf(path)) {
      outsWithin.add(parent);
      const outer = written.get(parent);
      if (outer) {
        throw fail(
          here,
          `out '${path}' of stage '${here.origin.stage.name}' lies inside out '${parent}' of stage '${outer.origin.stage.name}' (line ${line(outer)}); outputs may not overlap`,
          String(here.at[0]),
        );
      }
    }
  }

  const versioned = memo(probe.isVersioned.bind(probe));
  const isVersionedData = async (rel: string) =>
    (await Promise.all([rel, ...parentsOf(rel)].map(versioned))).some(Boolean);
  const outChecks = [...written].map(async ([path, here]) => {
    if (!(await isVersionedData(path))) return;
    throw fail(
      here,
      `out '${path}' of stage '${here.origin.stage.name}' is versioned data (a ${POINTER_SUFFIX} pointer exists for it or a folder above it); a stage cannot write versioned data: depend on it instead, or write the output elsewhere`,
      String(here.at[0]),
    );
  });
  const depChecks = origins.flatMap((origin) =>
    origin.stage.deps.map(async (dep, i) => {
      const produced =
        written.has(dep) || outsWithin.has(dep) || parentsOf(dep).some((p) => written.has(p));
      if (produced || (await probe.exists(dep)) || (await isVersionedData(dep))) return;
      throw fail(
        { origin, at: origin.depPaths[i] ?? [] },
        `stage '${origin.stage.name}' depends on '${dep}', which no stage produces and which does not exist; create it, add it with \`mlops data add\`, or add the stage that writes it`,
        'deps',
      );
    }),
  );
  await firstFailure([...outChecks, ...depChecks]);
}

function memo(fn: (rel: string) => Promise<boolean>): (rel: string) => Promise<boolean> {
  const cache = new Map<string, Promise<boolean>>();
  return (rel) => {
    let result = cache.get(rel);
    if (!result) {
      result = fn(rel);
      cache.set(rel, result);
    }
    return result;
  };
}

/** Waits for all checks and throws the first failure in check order (stable messages). */
async function firstFailure(checks: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(checks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
