import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MlopsError, invalidParam } from '../../core/index.js';
import type { GateRecord, RegistryStore } from '../../registry/index.js';
import { formatPromotion } from './format-promotion.js';

/** The champion after a pipeline's register stage, and why it is that one. */
export interface ChampionReport {
  readonly model: string;
  readonly alias: string;
  /** The version the alias points at now (absent when the gate left it unset). */
  readonly version?: string;
  /** Its model kind (persistence, linear, lstm, external), from the decision. */
  readonly kind?: string;
  /** The decision file the register stage wrote (workspace-relative). */
  readonly decisionFile: string;
  readonly outcome: GateRecord['outcome'];
  /** The decision's reasons, the deciding one first. */
  readonly reasons: readonly string[];
  /** The decision as printed by the stage (`formatPromotion`). */
  readonly lines: readonly string[];
}

/**
 * Reads the register stage's decision file and the alias as the registry has it now (the
 * decision of an earlier repro when the stage was skipped). Undefined when there is no file yet.
 */
export async function readChampion(
  registry: RegistryStore,
  root: string,
  decisionFile: string,
): Promise<ChampionReport | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, decisionFile), 'utf8');
  } catch {
    return undefined;
  }
  const record = parseDecisionFile(text, join(root, decisionFile));
  const version = await registry.getVersionByAlias(record.model, record.alias).then(
    (v) => v.version,
    (err: unknown) => {
      if (MlopsError.is(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw err;
    },
  );
  const kind = record.versions.find((v) => v.version === version)?.model_kind;
  return {
    model: record.model,
    alias: record.alias,
    ...(version === undefined ? {} : { version }),
    ...(kind === undefined ? {} : { kind }),
    decisionFile,
    outcome: record.outcome,
    reasons: record.reasons,
    lines: formatPromotion(record),
  };
}

/** The decision file: the gate record without its id and time (see the register step). */
type DecisionFile = Omit<GateRecord, 'id' | 'decided_at'>;

function parseDecisionFile(text: string, file: string): DecisionFile {
  let value: Partial<DecisionFile> | null;
  try {
    value = JSON.parse(text) as Partial<DecisionFile> | null;
  } catch (cause) {
    throw invalidParam(`${file} is not JSON: ${String(cause)}.`, { file });
  }
  const ok =
    typeof value?.model === 'string' &&
    typeof value.alias === 'string' &&
    typeof value.outcome === 'string' &&
    Array.isArray(value.versions) &&
    Array.isArray(value.reasons);
  if (!ok) {
    throw invalidParam(
      `${file} is not a gate decision (expected model, alias, outcome, reasons and versions); run the register stage again (\`mlops repro --force register\`).`,
      { file },
    );
  }
  return value as DecisionFile;
}
