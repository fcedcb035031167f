import { invalidParam } from '../core/index.js';

/**
 * Canonical relative artifact path, or an INVALID_PARAMETER_VALUE error for anything that could
 * leave the run's artifact root: `..` segments, absolute or drive paths, backslashes, NUL bytes,
 * and the same hidden behind (repeated) percent-encoding. '' is the root itself.
 */
export function safeArtifactPath(raw: string): string {
  let path = raw;
  for (let i = 0; i < 5 && /%[0-9a-fA-F]{2}/.test(path); i++) {
    try {
      path = decodeURIComponent(path);
    } catch {
      throw refuse(raw, 'it has a malformed percent-encoding');
    }
  }
  if (path.includes('\0')) throw refuse(raw, 'it contains a NUL byte');
  if (path.includes('\\')) throw refuse(raw, "it contains '\\'; use '/' as the separator");
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.startsWith('~')) {
    throw refuse(raw, 'it is absolute; give a path relative to the run artifact root');
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw refuse(raw, "it contains '..'");
  return segments.join('/');
}

function refuse(raw: string, why: string) {
  return invalidParam(`Invalid artifact path '${raw}': ${why}.`, { path: raw });
}
