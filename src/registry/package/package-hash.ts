import { createHash } from 'node:crypto';
import type { ModelPackageManifest } from './model-manifest.js';

/**
 * JSON with object keys sorted at every level and no whitespace, so equal manifests hash equal
 * whatever order their keys were written in. Undefined values are left out, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The package's own content hash: sha256 of the canonical JSON of the manifest without it. */
export function computePackageHash(
  manifest: Omit<ModelPackageManifest, 'package_hash'> & { package_hash?: string },
): string {
  const { package_hash: _ignored, ...rest } = manifest;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}
