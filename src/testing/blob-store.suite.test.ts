import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore } from '../blobs/index.js';
import { blobStoreSuite } from './blob-store.suite.js';

blobStoreSuite('LocalBlobStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mlops-blobs-'));
  const store = new LocalBlobStore(join(root, 'blobs'));
  return {
    store,
    cleanup: () => rm(root, { recursive: true, force: true }),
    corrupt: (hash) => writeFile(store.pathOf(hash), 'tampered'),
  };
});
