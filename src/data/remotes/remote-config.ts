import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
} from 'yaml';
import { invalidParam, MlopsError } from '../../core/index.js';
import { ioError, isNotFound } from '../fs-errors.js';
import { checkRemoteUrl, checkSetting } from './remote-url.js';

/** The committed project file (DESIGN.md §3) and the per-machine override file. */
export const PROJECT_CONFIG = 'mlops.yaml';
export const LOCAL_CONFIG = 'config.local.yaml';

/** Where a workspace's remote settings live. */
export interface RemoteConfigFiles {
  /** `<root>/mlops.yaml`: committed, shared by everyone who clones the repository. */
  readonly project: string;
  /** `<root>/.mlops/config.local.yaml`: this machine only (git-ignored), merged over `project`. */
  readonly local: string;
  /** The workspace state directory (`.mlops`), git-ignored when the local file is created. */
  readonly stateDir: string;
  /** The workspace root: relative local-directory remote URLs resolve against it. */
  readonly root: string;
}

export function remoteConfigFiles(root: string, stateDir: string): RemoteConfigFiles {
  return {
    project: join(root, PROJECT_CONFIG),
    local: join(stateDir, LOCAL_CONFIG),
    stateDir,
    root,
  };
}

/** The settings one file holds for one remote (every field optional in an override). */
export interface RemoteFields {
  readonly url?: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly default?: boolean;
}

/** A remote after merging the local file over the project file. */
export interface Remote {
  readonly name: string;
  /** `s3://bucket/prefix`, `file:///abs/dir`, or a directory path (relative to the workspace root). */
  readonly url: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly isDefault: boolean;
  /** Which files define it: `project`, `local` or both (`project+local`). */
  readonly definedIn: 'project' | 'local' | 'project+local';
}

export interface RemotesConfig {
  /** Sorted by name. */
  readonly remotes: readonly Remote[];
  readonly defaultName?: string;
}

/** The keys a remote may have; anything else is refused (credentials especially). */
const SETTING_KEYS = ['url', 'endpoint', 'region', 'profile', 'default'] as const;
type SettingKey = (typeof SETTING_KEYS)[number];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CREDENTIAL_KEY =
  /(access.?key|secret|password|passwd|token|credential|session|private.?key|api.?key|auth)/i;

/** Refuses a remote name that could not be a YAML key and a CLI argument unchanged. */
export function checkRemoteName(name: string): string {
  if (!NAME.test(name)) {
    throw invalidParam(
      `Invalid remote name ${JSON.stringify(name)}: use 1-64 letters, digits, '_', '.' and '-', starting with a letter or digit.`,
      { name },
    );
  }
  return name;
}

/** The message for a credential found in a workspace file (never echoing its value). */
function credentialRefusal(where: string, remote: string, key: string): MlopsError {
  return invalidParam(
    `${where}: remote '${remote}' has '${key}', which looks like a credential. Credentials never go in workspace files (mlops.yaml is committed). Remove it, and set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or name an AWS profile from ~/.aws with \`mlops data remote modify ${remote} --profile <profile>\`.`,
    { remote, key },
  );
}

// ---- reading ---------------------------------------------------------------------------------

export interface ParsedFile {
  readonly path: string;
  /** Undefined when the file does not exist. */
  readonly doc: Document | undefined;
  readonly remotes: ReadonlyMap<string, RemoteFields>;
}

/** Reads and validates the `remotes:` section of one file (absent file: no remotes). */
export async function readConfigFile(path: string, shown: string): Promise<ParsedFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return { path, doc: undefined, remotes: new Map() };
    throw ioError('read', path, err);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    throw invalidParam(
      `Invalid ${shown}, line ${line}: not valid YAML (${syntax.message.split('\n')[0] ?? ''}).`,
      { file: shown, line },
    );
  }
  return { path, doc, remotes: validateRemotesSection(doc, lineCounter, shown) };
}

/**
 * Validates the `remotes:` section of an already-parsed file (`lineCounter` is the one given to
 * `parseDocument`, for line numbers) and returns its remotes by name; no section means none.
 * `shown` names the file in messages. The pipeline loader calls it so that `mlops.yaml` is
 * validated as a whole.
 */
export function validateRemotesSection(
  doc: Document,
  lineCounter: LineCounter,
  shown: string,
): Map<string, RemoteFields> {
  const lineOf = (node: Node | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  const fail = (line: number, what: string) =>
    invalidParam(`Invalid ${shown}, line ${line}: ${what}.`, { file: shown, line });
  const remotes = new Map<string, RemoteFields>();
  if (doc.contents === null) return remotes;
  if (!isMap(doc.contents)) throw fail(lineOf(doc.contents), 'expected a mapping of settings');
  const section = doc.contents.get('remotes', true) as Node | undefined;
  if (section === undefined || (isScalar(section) && section.value === null)) return remotes;
  if (!isMap(section)) {
    throw fail(lineOf(section), "'remotes' must map remote names to their settings");
  }
  for (const pair of section.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const where = `${shown}, line ${lineOf(pair.key as Node)}`;
    if (!NAME.test(name)) {
      throw invalidParam(
        `${where}: invalid remote name ${JSON.stringify(name)} (letters, digits, '_', '.' and '-').`,
        { file: shown },
      );
    }
    const value = pair.value as Node | null;
    if (!isMap(value)) {
      throw invalidParam(
        `${where}: remote '${name}' must be a mapping (url: ..., endpoint: ...).`,
        {
          file: shown,
          remote: name,
        },
      );
    }
    remotes.set(name, remoteFields(value.items, name, shown, lineOf));
  }
  return remotes;
}

/** The checked settings of one remote. */
function remoteFields(
  items: readonly Pair<unknown, unknown>[],
  name: string,
  shown: string,
  lineOf: (node: Node | null | undefined) => number,
): RemoteFields {
  const fields: Record<string, string | boolean> = {};
  for (const item of items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    const at = `${shown}, line ${lineOf(item.key as Node)}`;
    if (CREDENTIAL_KEY.test(key)) throw credentialRefusal(at, name, key);
    if (!(SETTING_KEYS as readonly string[]).includes(key)) {
      throw invalidParam(
        `${at}: remote '${name}' has an unknown setting '${key}' (expected ${SETTING_KEYS.join(', ')}).`,
        { file: shown, remote: name, key },
      );
    }
    const v = isScalar(item.value) ? item.value.value : undefined;
    if (key === 'default') {
      if (typeof v !== 'boolean') {
        throw invalidParam(`${at}: 'default' of remote '${name}' must be true or false.`, {
          file: shown,
          remote: name,
        });
      }
      fields[key] = v;
      continue;
    }
    if (typeof v !== 'string' || v === '') {
      throw invalidParam(`${at}: '${key}' of remote '${name}' must be a non-empty string.`, {
        file: shown,
        remote: name,
        key,
      });
    }
    checkSetting(key as Exclude<SettingKey, 'default'>, v, `${at}: remote '${name}'`, name);
    fields[key] = v;
  }
  return fields as RemoteFields;
}

/** The two files as messages name them. */
export const SHOWN = { project: PROJECT_CONFIG, local: `.mlops/${LOCAL_CONFIG}` } as const;

/** The merged remotes of a workspace: `.mlops/config.local.yaml` field by field over `mlops.yaml`. */
export async function loadRemotes(files: RemoteConfigFiles): Promise<RemotesConfig> {
  const project = await readConfigFile(files.project, SHOWN.project);
  const local = await readConfigFile(files.local, SHOWN.local);
  return mergeRemotes(project.remotes, local.remotes, SHOWN);
}

function mergeRemotes(
  project: ReadonlyMap<string, RemoteFields>,
  local: ReadonlyMap<string, RemoteFields>,
  shown: { project: string; local: string },
): RemotesConfig {
  const defaultsIn = (m: ReadonlyMap<string, RemoteFields>, file: string) => {
    const names = [...m].filter(([, f]) => f.default === true).map(([n]) => n);
    if (names.length > 1) {
      throw invalidParam(
        `${file} marks several remotes as default (${names.join(', ')}); keep 'default: true' on one, e.g. with \`mlops data remote modify ${names[0] ?? ''} --default\`.`,
        { file, remotes: names },
      );
    }
    return names[0];
  };
  const projectDefault = defaultsIn(project, shown.project);
  const localDefault = defaultsIn(local, shown.local);
  let defaultName = localDefault ?? projectDefault;
  // `default: false` in the local file switches the project's default off on this machine.
  if (localDefault === undefined && projectDefault !== undefined) {
    if (local.get(projectDefault)?.default === false) defaultName = undefined;
  }
  const names = [...new Set([...project.keys(), ...local.keys()])].sort();
  const remotes = names.map((name): Remote => {
    const p = project.get(name);
    const l = local.get(name);
    const merged = { ...p, ...l };
    if (merged.url === undefined) {
      throw invalidParam(
        `Remote '${name}' in ${shown.local} has no url, and ${shown.project} does not define it; add \`url: ...\` there, or remove the entry.`,
        { remote: name },
      );
    }
    return {
      name,
      url: merged.url,
      ...(merged.endpoint === undefined ? {} : { endpoint: merged.endpoint }),
      ...(merged.region === undefined ? {} : { region: merged.region }),
      ...(merged.profile === undefined ? {} : { profile: merged.profile }),
      isDefault: name === defaultName,
      definedIn: p && l ? 'project+local' : p ? 'project' : 'local',
    };
  });
  return defaultName === undefined ? { remotes } : { remotes, defaultName };
}

// ---- choosing one ----------------------------------------------------------------------------

function known(config: RemotesConfig): string {
  if (config.remotes.length === 0) return 'no remotes are configured';
  const names = config.remotes.map((r) => (r.isDefault ? `${r.name} (default)` : r.name));
  return `known remotes: ${names.join(', ')}`;
}

const ADD_HINT =
  'add one with `mlops data remote add <name> s3://<bucket>/<prefix> --default` (or a local directory)';

/** The remote called `name`; unknown names are `RESOURCE_DOES_NOT_EXIST`, saying what exists. */
export function findRemote(config: RemotesConfig, name: string): Remote {
  const found = config.remotes.find((r) => r.name === name);
  if (found) return found;
  throw new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `Unknown remote '${name}': ${known(config)}.${config.remotes.length === 0 ? ` To use one, ${ADD_HINT}.` : ' List them with `mlops data remote list`.'}`,
    { details: { remote: name, known: config.remotes.map((r) => r.name) } },
  );
}

/**
 * The remote a transfer uses: `name` when given, else `MLOPS_REMOTE` (a remote name, or a URL
 * for a one-off remote), else the default. Unknown names and a missing default are errors that
 * say what exists and how to set a default.
 */
export function selectRemote(
  config: RemotesConfig,
  name?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Remote {
  if (name !== undefined) return findRemote(config, name);
  const fromEnv = env['MLOPS_REMOTE'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const found = config.remotes.find((r) => r.name === fromEnv);
    if (found) return found;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(fromEnv) || /^[./~]/.test(fromEnv)) {
      checkRemoteUrl(fromEnv);
      return { name: fromEnv, url: fromEnv, isDefault: false, definedIn: 'local' };
    }
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `MLOPS_REMOTE names an unknown remote '${fromEnv}': ${known(config)}. Set it to a configured remote's name or to a URL (s3://bucket/prefix, or a directory).`,
      { details: { remote: fromEnv, known: config.remotes.map((r) => r.name) } },
    );
  }
  const fallback = config.remotes.find((r) => r.isDefault);
  if (fallback) return fallback;
  if (config.remotes.length === 0) {
    throw invalidParam(`No remote to use: no remotes are configured; ${ADD_HINT}.`);
  }
  throw invalidParam(
    `No default remote: ${known(config)}. Name one with --remote <name>, or make one the default with \`mlops data remote modify <name> --default\`.`,
    { known: config.remotes.map((r) => r.name) },
  );
}
