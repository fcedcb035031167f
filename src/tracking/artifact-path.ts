import { invalidParam } from '../core/index.js';

/**
 * Canonical relative artifact path, or an INVALID_PARAMETER_VALUE error for anything that could
 * leave the run's artifact root: `..` segments, absolute or drive paths, backslashes, NUL bytes,
 * and the same hidden behind (repeated) percent-encoding. Decoded forms are only checked: the
 * path keeps its own spelling ('50%25.txt' stays that name). '' is the root itself.
 */
export function safeArtifactPath(raw: string): string {
  let form = raw;
  for (let depth = 0; ; depth++) {
    checkForm(raw, form);
    if (depth >= 5 || !/%[0-9a-fA-F]{2}/.test(form)) break;
    try {
      form = decodeURIComponent(form);
    } catch {
      break; // not valid percent-encoding: the name is taken literally
    }
  }
  return raw
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

function checkForm(raw: string, path: string): void {
  if (path.includes('\0')) throw refuse(raw, 'it contains a NUL byte');
  if (path.includes('\\')) throw refuse(raw, "it contains '\\'; use '/' as the separator");
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.startsWith('~')) {
    throw refuse(raw, 'it is absolute; give a path relative to the run artifact root');
  }
  if (path.split('/').includes('..')) throw refuse(raw, "it contains '..'");
}

function refuse(raw: string, why: string) {
  return invalidParam(`Invalid artifact path '${raw}': ${why}.`, { path: raw });
}

/**
 * A record's path must already be canonical and name a file below the root: stores refuse
 * anything `safeArtifactPath` would refuse or rewrite, so no listing ever offers `..` or `C:`.
 */
export function checkRecordPath(path: string): void {
  if (path === '' || safeArtifactPath(path) !== path) {
    throw invalidParam(
      `Invalid artifact path '${path}': record files under canonical relative paths (no '.', '..', empty or absolute segments).`,
      { path },
    );
  }
}
