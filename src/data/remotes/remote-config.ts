import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { invalidParam, MlopsError } from '../../core/index.js';
import { writeFileAtomic } from '../../blobs/index.js';
import { ioError, isNotFound } from '../fs-errors.js';
import { ignoreStateDir } from '../gitignore.js';
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
export function credentialRefusal(where: string, remote: string, key: string): MlopsError {
  return invalidParam(
    `${where}: remote '${remote}' has '${key}', which looks like a credential. Credentials never go in workspace files (mlops.yaml is committed). Remove it, and set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or name an AWS profile from ~/.aws with \`mlops data remote modify ${remote} --profile <profile>\`.`,
    { remote, key },
  );
}

// ---- reading ---------------------------------------------------------------------------------

interface ParsedFile {
  readonly path: string;
  /** Undefined when the file does not exist. */
  readonly doc: Document | undefined;
  readonly remotes: ReadonlyMap<string, RemoteFields>;
}

/** Reads and validates the `remotes:` section of one file (absent file: no remotes). */
async function readConfigFile(path: string, shown: string): Promise<ParsedFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return { path, doc: undefined, remotes: new Map() };
    throw ioError('read', path, err);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  const fail = (line: number, what: string) =>
    invalidParam(`Invalid ${shown}, line ${line}: ${what}.`, { file: shown, line });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    throw fail(line, `not valid YAML (${syntax.message.split('\n')[0] ?? ''})`);
  }
  const remotes = new Map<string, RemoteFields>();
  if (doc.contents === null) return { path, doc, remotes };
  if (!isMap(doc.contents)) throw fail(lineOf(doc.contents), 'expected a mapping of settings');
  const section = doc.contents.get('remotes', true) as Node | undefined;
  if (section === undefined || (isScalar(section) && section.value === null)) {
    return { path, doc, remotes };
  }
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
    const fields: Record<string, string | boolean> = {};
    for (const item of value.items) {
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
    remotes.set(name, fields as RemoteFields);
  }
  return { path, doc, remotes };
}

const SHOWN = { project: PROJECT_CONFIG, local: `.mlops/${LOCAL_CONFIG}` } as const;

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
  if (name !== undefined) {
    const found = config.remotes.find((r) => r.name === name);
    if (found) return found;
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `Unknown remote '${name}': ${known(config)}.${config.remotes.length === 0 ? ` To use one, ${ADD_HINT}.` : ' List them with `mlops data remote list`.'}`,
      { details: { remote: name, known: config.remotes.map((r) => r.name) } },
    );
  }
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

// ---- editing ---------------------------------------------------------------------------------

export interface RemoteEditOptions {
  /** Edit `.mlops/config.local.yaml` (this machine only) instead of `mlops.yaml`. */
  readonly local?: boolean;
}

export interface NewRemote {
  readonly url: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  /** Make it the default remote (in the file edited; other remotes there lose the flag). */
  readonly default?: boolean;
}

/** Changes to a remote; `''` for endpoint, region or profile removes that setting. */
export interface RemoteChanges {
  readonly url?: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly default?: boolean;
}

/** `mlops data remote add`: refuses a name already in use (`RESOURCE_ALREADY_EXISTS`). */
export async function addRemote(
  files: RemoteConfigFiles,
  name: string,
  settings: NewRemote,
  options: RemoteEditOptions = {},
): Promise<Remote> {
  checkRemoteName(name);
  checkRemoteUrl(settings.url);
  for (const key of ['endpoint', 'region', 'profile'] as const) {
    const value = settings[key];
    if (value !== undefined) checkSetting(key, value, `Remote '${name}'`, name);
  }
  const config = await loadRemotes(files);
  const existing = config.remotes.find((r) => r.name === name);
  if (existing) {
    throw new MlopsError(
      'RESOURCE_ALREADY_EXISTS',
      `Remote '${name}' already exists (${existing.url}). Change it with \`mlops data remote modify ${name} --url <url>\`, or remove it first.`,
      { details: { remote: name } },
    );
  }
  await editFile(files, options.local === true, (doc, shown) => {
    const fields: [string, string | boolean][] = [['url', settings.url]];
    for (const key of ['endpoint', 'region', 'profile'] as const) {
      const value = settings[key];
      if (value !== undefined && value !== '') fields.push([key, value]);
    }
    const remotes = remotesMap(doc, shown);
    remotes.set(name, doc.createNode(Object.fromEntries(fields)));
    if (settings.default === true) setDefault(doc, remotes, name);
  });
  return mustFind(await loadRemotes(files), name);
}

/** `mlops data remote modify`: changes the named settings in the file edited. */
export async function modifyRemote(
  files: RemoteConfigFiles,
  name: string,
  changes: RemoteChanges,
  options: RemoteEditOptions = {},
): Promise<Remote> {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    throw invalidParam(
      `Nothing to change for remote '${name}': give --url, --endpoint, --region, --profile or --default.`,
    );
  }
  if (changes.url !== undefined) checkRemoteUrl(changes.url);
  for (const key of ['endpoint', 'region', 'profile'] as const) {
    const value = changes[key];
    if (value !== undefined && value !== '') checkSetting(key, value, `Remote '${name}'`, name);
  }
  const config = await loadRemotes(files);
  const remote = mustFind(config, name);
  const local = options.local === true;
  if (!local && remote.definedIn === 'local') {
    throw invalidParam(
      `Remote '${name}' is defined only in .mlops/${LOCAL_CONFIG} (this machine); modify it with --local.`,
      { remote: name },
    );
  }
  await editFile(files, local, (doc, shown) => {
    const remotes = remotesMap(doc, shown);
    if (!remotes.has(name)) remotes.set(name, doc.createNode({}));
    for (const [key, value] of entries) {
      if (key === 'default') {
        if (value === true) setDefault(doc, remotes, name);
        else doc.setIn(['remotes', name, 'default'], false);
      } else if (value === '') {
        if (key === 'url') throw invalidParam(`The url of remote '${name}' cannot be empty.`);
        doc.deleteIn(['remotes', name, key]);
      } else {
        doc.setIn(['remotes', name, key], value);
      }
    }
  });
  return mustFind(await loadRemotes(files), name);
}

/**
 * `mlops data remote remove`: deletes the remote from `mlops.yaml` and its override from the
 * local file (only from the local file with `local`).
 */
export async function removeRemote(
  files: RemoteConfigFiles,
  name: string,
  options: RemoteEditOptions = {},
): Promise<Remote> {
  const config = await loadRemotes(files);
  const remote = mustFind(config, name);
  const local = options.local === true;
  if (!local && remote.definedIn === 'local') {
    throw invalidParam(
      `Remote '${name}' is defined only in .mlops/${LOCAL_CONFIG} (this machine); remove it with --local.`,
      { remote: name },
    );
  }
  if (local && remote.definedIn === 'project') {
    throw invalidParam(
      `Remote '${name}' has no override in .mlops/${LOCAL_CONFIG}; remove it from ${PROJECT_CONFIG} without --local.`,
      { remote: name },
    );
  }
  const drop = (doc: Document) => {
    doc.deleteIn(['remotes', name]);
    const rest = doc.get('remotes', true);
    if (isMap(rest) && rest.items.length === 0) doc.delete('remotes');
  };
  if (!local) await editFile(files, false, drop);
  if (remote.definedIn !== 'project') await editFile(files, true, drop);
  return remote;
}

function mustFind(config: RemotesConfig, name: string): Remote {
  const found = config.remotes.find((r) => r.name === name);
  if (found) return found;
  throw new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `Unknown remote '${name}': ${known(config)}. List them with \`mlops data remote list\`.`,
    { details: { remote: name, known: config.remotes.map((r) => r.name) } },
  );
}

/** The `remotes:` mapping of `doc`, created when absent (or empty). */
function remotesMap(doc: Document, shown: string) {
  const current = doc.get('remotes', true);
  if (isMap(current)) return current;
  if (current !== undefined && !(isScalar(current) && current.value === null)) {
    throw invalidParam(`Invalid ${shown}: 'remotes' must map remote names to their settings.`);
  }
  const created = doc.createNode({});
  doc.set('remotes', created);
  return created;
}

function setDefault(doc: Document, remotes: ReturnType<typeof remotesMap>, name: string): void {
  for (const pair of remotes.items) {
    const other = isScalar(pair.key) ? String(pair.key.value) : '';
    if (other !== name && isMap(pair.value) && pair.value.has('default')) {
      pair.value.delete('default');
    }
  }
  doc.setIn(['remotes', name, 'default'], true);
}

/**
 * Reads one file as a YAML document (keeping comments and every other key), lets `edit` change
 * it and writes it back atomically. A new project file gets a header comment; creating the local
 * file also git-ignores `.mlops/`.
 */
async function editFile(
  files: RemoteConfigFiles,
  local: boolean,
  edit: (doc: Document, shown: string) => void,
): Promise<void> {
  const shown = local ? SHOWN.local : SHOWN.project;
  const path = local ? files.local : files.project;
  const parsed = await readConfigFile(path, shown);
  let doc = parsed.doc;
  if (doc === undefined) {
    doc = parseDocument('');
    doc.commentBefore = local
      ? ' mlops settings for this machine only (git-ignored), merged over mlops.yaml.\n Credentials never go here: use the environment or an AWS profile.'
      : ' mlops project settings (committed). Credentials never go here: use the environment\n or an AWS profile.';
  }
  if (doc.contents === null) doc.contents = doc.createNode({});
  if (!isMap(doc.contents)) {
    throw invalidParam(`Invalid ${shown}: expected a mapping of settings at the top level.`);
  }
  edit(doc, shown);
  // A file left with no settings keeps its header comment rather than reading `{}`.
  const empty = isMap(doc.contents) && doc.contents.items.length === 0;
  const header = (doc.commentBefore ?? '')
    .split('\n')
    .map((line) => `#${line}\n`)
    .join('');
  const text = empty ? (doc.commentBefore ? header : '') : doc.toString({ lineWidth: 0 });
  try {
    if (local) await ignoreStateDir(files.stateDir);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, [Buffer.from(text, 'utf8')]);
  } catch (err) {
    throw ioError('write', path, err);
  }
}
