import { readStoredFile, type BlobStore } from '../../blobs/index.js';
import { MlopsError } from '../../core/index.js';
import { parseModelManifest, type RegistryStore } from '../../registry/index.js';

/**
 * gc roots of the registry: every model version's MLmodel, each file it lists, and the dataset
 * version it names (so the gate and monitoring can still read a champion's training data after
 * a new import). A package whose MLmodel cannot be read aborts gc before anything is deleted:
 * its files are unknown, and sweeping them would make the damage permanent.
 */
export async function* modelPackageRoots(
  registry: RegistryStore,
  blobs: BlobStore,
): AsyncIterable<string> {
  let pageToken: string | undefined;
  do {
    const page = await registry.searchModelVersions(pageToken === undefined ? {} : { pageToken });
    for (const version of page.items) {
      const hash = version.packageHash;
      if (!hash) continue;
      yield hash;
      let text: string;
      try {
        text = (await readStoredFile(blobs, hash)).toString('utf8');
      } catch (err) {
        throw new MlopsError(
          'PACKAGE_CORRUPT',
          `gc stopped before deleting anything: the package of model ${version.name} version ${version.version} (${hash}) cannot be read, so the files it names are unknown (${MlopsError.is(err) ? err.message : String(err)}). Restore the byte store, or delete that version with the registry API.`,
          { cause: err, details: { name: version.name, version: version.version } },
        );
      }
      const manifest = parseModelManifest(
        text,
        `${hash} (model ${version.name} version ${version.version})`,
      );
      for (const file of Object.values(manifest.files)) yield file.manifest_id;
      if (manifest.dataset?.manifest_id) yield manifest.dataset.manifest_id;
    }
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
}
