import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { invalidParam } from '../../core/index.js';
import {
  MLMODEL_FILE,
  readModelPackage,
  type ModelPackageManifest,
  type ModelVersion,
  type RegisteredModel,
} from '../../registry/index.js';
import { loadModelPackage } from './load-model-package.js';
import type { ModelsContext } from './models-context.js';

/** Every registered model (all pages), by name. */
export async function listModels(ctx: ModelsContext): Promise<RegisteredModel[]> {
  const models: RegisteredModel[] = [];
  let pageToken: string | undefined;
  do {
    const page = await ctx.registry.searchRegisteredModels({
      orderBy: ['name ASC'],
      maxResults: 1000,
      ...(pageToken === undefined ? {} : { pageToken }),
    });
    models.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return models;
}

/** What `mlops models show` prints about one version's package. */
export interface PackageSummary {
  readonly modelKind: string;
  readonly flavors: readonly string[];
  readonly window: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly dataset?: { readonly source: string; readonly sha256: string; readonly rows: number };
  readonly trainRange?: string;
  readonly testRange?: string;
  readonly files: number;
  readonly bytes: number;
}

export interface ModelDetails {
  readonly model: RegisteredModel;
  /** Newest first. */
  readonly versions: readonly ModelVersion[];
  /** The package of `--version` (default: the newest version that has one). */
  readonly shown?: { readonly version: string; readonly package: PackageSummary };
}

export function summarizePackage(manifest: ModelPackageManifest): PackageSummary {
  const files = Object.values(manifest.files);
  const range = (r?: { first_date: string; last_date: string; start: number; end: number }) =>
    r && `${r.first_date}..${r.last_date} (rows ${r.start}..${r.end - 1})`;
  const trainRange = range(manifest.row_ranges?.train);
  const testRange = range(manifest.row_ranges?.test);
  return {
    modelKind: manifest.model_kind,
    flavors: Object.keys(manifest.flavors),
    window: manifest.signature.window,
    metrics: manifest.metrics ?? {},
    ...(manifest.dataset
      ? {
          dataset: {
            source: manifest.dataset.source,
            sha256: manifest.dataset.sha256,
            rows: manifest.dataset.rows,
          },
        }
      : {}),
    ...(trainRange ? { trainRange } : {}),
    ...(testRange ? { testRange } : {}),
    files: files.length,
    bytes: files.reduce((sum, f) => sum + f.size, 0),
  };
}

/** A model with its versions (newest first) and one version's package summary. */
export async function showModel(
  ctx: ModelsContext,
  name: string,
  version?: string,
): Promise<ModelDetails> {
  const model = await ctx.registry.getRegisteredModel(name);
  const versions: ModelVersion[] = [];
  let pageToken: string | undefined;
  const filter = `name = '${name.replace(/'/g, "''")}'`;
  do {
    const page = await ctx.registry.searchModelVersions({
      filter,
      ...(pageToken === undefined ? {} : { pageToken }),
    });
    versions.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  versions.sort((a, b) => Number(b.version) - Number(a.version));
  const target =
    version === undefined
      ? versions.find((v) => v.packageHash)
      : await ctx.registry.getModelVersion(name, version);
  if (!target?.packageHash) return { model, versions };
  const pkg = await readModelPackage(ctx.client.blobs, target.packageHash);
  return {
    model,
    versions,
    shown: { version: target.version, package: summarizePackage(pkg.manifest) },
  };
}

/** Writes a verified package into `out`: its MLmodel and every file under its package path. */
export async function downloadModel(
  ctx: ModelsContext,
  uri: string,
  out: string,
): Promise<{ name: string; version: string; files: string[]; out: string }> {
  const loaded = await loadModelPackage(ctx, uri);
  const dest = resolve(out);
  await mkdir(dest, { recursive: true });
  const written: string[] = [];
  for (const path of Object.keys(loaded.manifest.files)) {
    const target = join(dest, ...path.split('/'));
    if (!target.startsWith(dest)) throw invalidParam(`Package path '${path}' leaves ${out}.`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await loaded.files.readFile(path));
    written.push(path);
  }
  await writeFile(join(dest, MLMODEL_FILE), loaded.files.text);
  written.push(MLMODEL_FILE);
  return { name: loaded.name, version: loaded.version, files: written, out: dest };
}
