import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/index.js';

let version: string | undefined;

/** This install's version (package.json), read once. */
export function mlopsVersion(): string {
  if (version !== undefined) return version;
  try {
    const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    version = typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    version = 'unknown';
  }
  return version;
}
