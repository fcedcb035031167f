import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidParam, MlopsError } from '../../core/index.js';
import { parseS3Uri } from '../../blobs/index.js';

/** Where a remote's blobs live: an S3 bucket and prefix, or a local directory. */
export type RemoteLocation =
  { readonly kind: 's3'; readonly url: string } | { readonly kind: 'local'; readonly dir: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

function credentialInUrl(what: string): MlopsError {
  return invalidParam(
    `The ${what} holds a user name or password ('user:secret@'): credentials never go in workspace files. Remove them, and set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or use an AWS profile (--profile).`,
  );
}

/**
 * Checks a remote URL without touching the network: `s3://bucket[/prefix]`, `file:///dir`, or a
 * directory path. Other schemes are `UNSUPPORTED_URI`; embedded credentials are refused.
 */
export function checkRemoteUrl(url: string): void {
  if (url.trim() === '') throw invalidParam('A remote URL cannot be empty.');
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return;
  const authority = url.slice(scheme.length + 3).split('/')[0] ?? '';
  if (authority.includes('@')) throw credentialInUrl('remote URL');
  if (scheme === 's3') {
    parseS3Uri(url);
    return;
  }
  if (scheme === 'file') {
    try {
      fileURLToPath(url);
    } catch (err) {
      throw invalidParam(
        `Invalid file URL ${JSON.stringify(url)} (${(err as Error).message}); use file:///absolute/dir or a plain directory path.`,
      );
    }
    return;
  }
  throw new MlopsError(
    'UNSUPPORTED_URI',
    `Unsupported remote URL ${JSON.stringify(url)}: use s3://bucket/prefix, a local directory, or file:///dir.`,
    { details: { url } },
  );
}

const REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PROFILE = /^[A-Za-z0-9_.+@-]{1,128}$/;

/** Checks one optional setting; `where` starts the error message. */
export function checkSetting(
  key: 'url' | 'endpoint' | 'region' | 'profile',
  value: string,
  where: string,
  remote: string,
): void {
  if (key === 'url') {
    checkRemoteUrl(value);
    return;
  }
  if (key === 'endpoint') {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url && (url.username !== '' || url.password !== '')) throw credentialInUrl('endpoint');
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw invalidParam(
        `${where}: endpoint ${JSON.stringify(value)} is not an http:// or https:// URL.`,
        { remote, endpoint: value },
      );
    }
    return;
  }
  if (key === 'region' && !REGION.test(value)) {
    throw invalidParam(
      `${where}: region ${JSON.stringify(value)} is not a region name like us-east-1.`,
      { remote },
    );
  }
  if (key === 'profile' && !PROFILE.test(value)) {
    throw invalidParam(
      `${where}: profile ${JSON.stringify(value)} is not an AWS profile name (letters, digits, _ . + @ -).`,
      { remote },
    );
  }
}

/** Where `url` points; a relative directory resolves against the workspace `root`. */
export function remoteLocation(url: string, root: string): RemoteLocation {
  checkRemoteUrl(url);
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === 's3') return { kind: 's3', url };
  if (scheme === 'file') return { kind: 'local', dir: fileURLToPath(url) };
  const expanded =
    url === '~' || url.startsWith('~/') ? `${process.env['HOME'] ?? '~'}${url.slice(1)}` : url;
  return { kind: 'local', dir: isAbsolute(expanded) ? expanded : resolve(root, expanded) };
}
