import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { invalidParam } from '../../core/index.js';
import { DEFAULT_GATE_CONFIG, parseGateConfig, type GateConfig } from '../../registry/index.js';
import { findWorkspace } from '../workspace.js';

/** The params file the gate reads its `gate:` mapping from, as the pipeline does. */
export const PARAMS_FILE = 'params.yaml';

/**
 * The gate settings of the workspace around `cwd`: `gate:` in its params.yaml over the defaults
 * (the defaults alone when there is no params.yaml or no `gate:`). Flags override these.
 */
export async function workspaceGateConfig(cwd?: string): Promise<GateConfig> {
  const file = join(findWorkspace(cwd).root, PARAMS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return DEFAULT_GATE_CONFIG;
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (cause) {
    throw invalidParam(`${file} is not valid YAML: ${String(cause)}`, { file });
  }
  const gate =
    typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['gate'] : undefined;
  return parseGateConfig(gate, `${file}: gate`);
}
