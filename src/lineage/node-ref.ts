import { invalidParam } from '../core/index.js';

/** The node kinds the product records; other capabilities may add their own type strings. */
export type KnownNodeType =
  'run' | 'dataset' | 'artifact' | 'model_version' | 'deployment' | 'snapshot' | 'experiment';

// `string & {}` keeps editor completion for the known names while allowing any type string.
export type NodeType = KnownNodeType | (string & {});

/**
 * A node of the lineage graph. Ids by type: run -> run id; dataset -> `<path>@<sha256 of the
 * bytes>`; artifact -> manifest id; model_version -> `<model name>/<version>`; others -> their own id.
 */
export interface NodeRef {
  readonly type: NodeType;
  readonly id: string;
}

const NODE_TYPE = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_ID_LENGTH = 2048;

/** Refuses a malformed node: type `[a-z][a-z0-9_]*`, id a non-empty string without control chars. */
export function assertNodeRef(node: NodeRef, what = 'lineage node'): NodeRef {
  if (typeof node !== 'object' || node === null) {
    throw invalidParam(`Invalid ${what}: expected { type, id }, got ${String(node)}.`);
  }
  if (typeof node.type !== 'string' || !NODE_TYPE.test(node.type)) {
    throw invalidParam(
      `Invalid ${what} type ${JSON.stringify(node.type)}: expected lower-case letters, digits and _ (e.g. 'run', 'dataset').`,
    );
  }
  if (
    typeof node.id !== 'string' ||
    node.id === '' ||
    node.id.length > MAX_ID_LENGTH ||
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    /[\u0000-\u001f]/.test(node.id)
  ) {
    throw invalidParam(
      `Invalid ${what} id ${JSON.stringify(String(node.id).slice(0, 80))} for type '${node.type}': expected a non-empty string of at most ${MAX_ID_LENGTH} printable characters.`,
    );
  }
  return node;
}

/** A map key for a node. */
export function nodeKey(node: NodeRef): string {
  return `${node.type}\u0000${node.id}`;
}
