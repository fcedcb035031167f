import { invalidParam, MlopsError } from '../../core/index.js';
import type { ModelVersion, RegistryStore } from '../../registry/index.js';

/** A parsed model URI: a registered version by number, alias or latest, or a run's artifacts. */
export type ModelUri =
  | { readonly scheme: 'models'; readonly name: string; readonly version: string }
  | { readonly scheme: 'models'; readonly name: string; readonly alias: string }
  | { readonly scheme: 'models'; readonly name: string; readonly latest: true }
  | { readonly scheme: 'runs'; readonly runId: string; readonly path: string };

const FORMS =
  'models:/<name>@<alias>, models:/<name>/<version>, models:/<name>/latest or runs:/<run id>/<path>';

/**
 * Parses `models:/name@alias`, `models:/name/3`, `models:/name/latest` and `runs:/<id>/<path>`
 * (the path defaults to `model`); anything else is `INVALID_PARAMETER_VALUE` listing the forms.
 */
export function parseModelUri(uri: string): ModelUri {
  const bad = (why: string) =>
    invalidParam(`Invalid model URI '${uri}': ${why}. Expected ${FORMS}.`, { uri });
  const models = /^models:\/(.*)$/.exec(uri);
  if (models) {
    const rest = models[1] ?? '';
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      const name = rest.slice(0, at);
      const alias = rest.slice(at + 1);
      if (name === '' || alias === '') throw bad('a model name and an alias are both needed');
      if (alias.includes('/')) throw bad(`alias '${alias}' contains '/'`);
      return { scheme: 'models', name, alias };
    }
    const slash = rest.lastIndexOf('/');
    if (slash <= 0) throw bad('a version (/3, /latest) or an alias (@champion) is missing');
    const name = rest.slice(0, slash);
    const version = rest.slice(slash + 1);
    if (version === 'latest') return { scheme: 'models', name, latest: true };
    if (!/^[1-9]\d*$/.test(version)) {
      throw bad(`version '${version}' is not a positive integer or 'latest'`);
    }
    return { scheme: 'models', name, version };
  }
  const runs = /^runs:\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (runs) {
    const path = (runs[2] ?? 'model').replace(/\/+$/, '') || 'model';
    if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) {
      throw bad(`artifact path '${path}' is not a relative path inside the run`);
    }
    return { scheme: 'runs', runId: runs[1] ?? '', path };
  }
  throw bad('unknown scheme');
}

/**
 * The model version a `models:/` URI names. Unknown models, aliases and versions are
 * `RESOURCE_DOES_NOT_EXIST` naming them and what exists; `runs:/` URIs name no version and are
 * refused with a pointer to `mlops models register`.
 */
export async function resolveModelUri(registry: RegistryStore, uri: string): Promise<ModelVersion> {
  const parsed = parseModelUri(uri);
  if (parsed.scheme === 'runs') {
    throw invalidParam(
      `'${uri}' names a run's artifacts, not a registered version; register it first with \`mlops models register ${uri} --name <name>\`.`,
      { uri },
    );
  }
  const model = await registry.getRegisteredModel(parsed.name).catch((err: unknown) => {
    if (MlopsError.is(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `No registered model '${parsed.name}' (from ${uri}). List models with \`mlops models list\`.`,
        { cause: err, details: { uri } },
      );
    }
    throw err;
  });
  if ('alias' in parsed) {
    if (!model.aliases.some((a) => a.alias === parsed.alias)) {
      const known = model.aliases.map((a) => `@${a.alias} -> ${a.version}`).join(', ') || 'none';
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `Model '${parsed.name}' has no alias '${parsed.alias}' (aliases: ${known}). Set one with \`mlops models alias set ${parsed.name} ${parsed.alias} <version>\`.`,
        { details: { uri } },
      );
    }
    return registry.getVersionByAlias(parsed.name, parsed.alias);
  }
  if ('latest' in parsed) {
    const [latest] = await registry.getLatestVersions(parsed.name);
    if (!latest) {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `Model '${parsed.name}' has no version that is not archived (from ${uri}).`,
        { details: { uri } },
      );
    }
    return latest;
  }
  return registry.getModelVersion(parsed.name, parsed.version).catch((err: unknown) => {
    if (MlopsError.is(err) && err.code === 'RESOURCE_DOES_NOT_EXIST') {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `Model '${parsed.name}' has no version ${parsed.version} (from ${uri}); see \`mlops models show ${parsed.name}\`.`,
        { cause: err, details: { uri } },
      );
    }
    throw err;
  });
}
