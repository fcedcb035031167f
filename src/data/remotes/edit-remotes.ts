import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { invalidParam, MlopsError } from '../../core/index.js';
import { writeFileAtomic } from '../../blobs/index.js';
import { ioError } from '../fs-errors.js';
import { ignoreStateDir } from '../gitignore.js';
import {
  checkRemoteName,
  findRemote,
  LOCAL_CONFIG,
  loadRemotes,
  PROJECT_CONFIG,
  readConfigFile,
  SHOWN,
  type Remote,
  type RemoteConfigFiles,
} from './remote-config.js';
import { checkRemoteUrl, checkSetting } from './remote-url.js';

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

const OPTIONAL_SETTINGS = ['endpoint', 'region', 'profile'] as const;

/** `mlops data remote add`: refuses a name already in use (`RESOURCE_ALREADY_EXISTS`). */
export async function addRemote(
  files: RemoteConfigFiles,
  name: string,
  settings: NewRemote,
  options: RemoteEditOptions = {},
): Promise<Remote> {
  checkRemoteName(name);
  checkRemoteUrl(settings.url);
  checkSettings(name, settings, false);
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
    for (const key of OPTIONAL_SETTINGS) {
      const value = settings[key];
      if (value !== undefined && value !== '') fields.push([key, value]);
    }
    const remotes = remotesMap(doc, shown);
    remotes.set(name, doc.createNode(Object.fromEntries(fields)));
    if (settings.default === true) setDefault(doc, remotes, name);
  });
  return findRemote(await loadRemotes(files), name);
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
  checkSettings(name, changes, true);
  const remote = findRemote(await loadRemotes(files), name);
  const local = options.local === true;
  if (!local) refuseLocalOnly(remote, 'modify');
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
  return findRemote(await loadRemotes(files), name);
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
  const remote = findRemote(await loadRemotes(files), name);
  const local = options.local === true;
  if (!local) refuseLocalOnly(remote, 'remove');
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

/** Validates the optional settings given; `''` (remove the setting) only when `emptyRemoves`. */
function checkSettings(name: string, settings: RemoteChanges, emptyRemoves: boolean): void {
  for (const key of OPTIONAL_SETTINGS) {
    const value = settings[key];
    if (value !== undefined && !(emptyRemoves && value === '')) {
      checkSetting(key, value, `Remote '${name}'`, name);
    }
  }
}

/** A remote only this machine's file defines cannot be edited in `mlops.yaml`. */
function refuseLocalOnly(remote: Remote, verb: 'modify' | 'remove'): void {
  if (remote.definedIn !== 'local') return;
  throw invalidParam(
    `Remote '${remote.name}' is defined only in .mlops/${LOCAL_CONFIG} (this machine); ${verb} it with --local.`,
    { remote: remote.name },
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
