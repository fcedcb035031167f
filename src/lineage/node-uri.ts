import { invalidParam } from '../core/index.js';
import type { NodeRef } from './node-ref.js';

const SHA256 = /^[0-9a-f]{64}$/;
const GENERIC_TYPE = /^[a-z][a-z0-9_]{0,63}$/;
/** Types with their own URI form; `<type>:<id>` is refused for them so each node has one spelling. */
const DEDICATED: Readonly<Record<string, string>> = {
  run: 'runs:/<run_id>',
  runs: 'runs:/<run_id>',
  model_version: 'models:/<name>/<version>',
  models: 'models:/<name>/<version>',
  dataset: 'data:/<path>@<sha256>',
  data: 'data:/<path>@<sha256>',
};

/**
 * Formats a node as the URI users type and read:
 * - run: `runs:/<run_id>`
 * - model_version (id `<name>/<version>`): `models:/<name>/<version>`
 * - dataset (id `<path>@<sha256>`): `data:/<path>@<sha256>`
 * - artifact (id = manifest id): `artifact:<manifest id>`
 * - any other type: `<type>:<id>`, e.g. `deployment:goog-prod`, `snapshot:42`, `experiment:0`
 */
export function formatNodeUri(node: NodeRef): string {
  switch (node.type) {
    case 'run':
      return `runs:/${node.id}`;
    case 'model_version':
      return `models:/${node.id}`;
    case 'dataset':
      return `data:/${node.id}`;
    default:
      return `${node.type}:${node.id}`;
  }
}

/** Parses a URI written by `formatNodeUri`; anything else is `INVALID_PARAMETER_VALUE`. */
export function parseNodeUri(uri: string): NodeRef {
  if (uri.startsWith('runs:/')) return parseRun(uri);
  if (uri.startsWith('models:/')) return parseModelVersion(uri);
  if (uri.startsWith('data:/')) return parseDataset(uri);
  const colon = uri.indexOf(':');
  const type = colon > 0 ? uri.slice(0, colon) : '';
  const id = uri.slice(colon + 1);
  if (type === 'artifact') {
    if (!SHA256.test(id)) throw bad(uri, 'artifact:<manifest id> (64 lower-case hex)');
    return { type, id };
  }
  if (type in DEDICATED) throw bad(uri, DEDICATED[type] ?? '');
  if (!GENERIC_TYPE.test(type) || id === '') {
    throw bad(
      uri,
      'runs:/<run_id>, models:/<name>/<version>, data:/<path>@<sha256>, artifact:<manifest id> or <type>:<id>',
    );
  }
  return { type, id };
}

function parseRun(uri: string): NodeRef {
  const id = uri.slice('runs:/'.length);
  if (!/^[A-Za-z0-9_-]+$/.test(id)) {
    throw bad(uri, 'runs:/<run_id> (letters, digits, - and _; no artifact path)');
  }
  return { type: 'run', id };
}

function parseModelVersion(uri: string): NodeRef {
  const rest = uri.slice('models:/'.length);
  if (/^[^/@]+@[^/]+$/.test(rest)) {
    throw bad(uri, 'models:/<name>/<version>; resolve an @alias to its version first');
  }
  const match = /^([^/@]+)\/([1-9][0-9]*)$/.exec(rest);
  if (!match) throw bad(uri, 'models:/<name>/<version> with a positive integer version');
  return { type: 'model_version', id: rest };
}

function parseDataset(uri: string): NodeRef {
  const rest = uri.slice('data:/'.length);
  const at = rest.lastIndexOf('@');
  const path = at > 0 ? rest.slice(0, at) : '';
  const hash = rest.slice(at + 1);
  if (path === '' || !SHA256.test(hash)) {
    throw bad(uri, 'data:/<path>@<sha256 of the bytes, 64 lower-case hex>');
  }
  return { type: 'dataset', id: rest };
}

function bad(uri: string, expected: string) {
  return invalidParam(
    `Invalid lineage URI ${JSON.stringify(uri.slice(0, 200))}: expected ${expected}.`,
    {
      uri: uri.slice(0, 200),
    },
  );
}
