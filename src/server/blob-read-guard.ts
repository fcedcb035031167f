import type { FastifyRequest } from 'fastify';
import { readManifest } from '../blobs/index.js';
import { MlopsError } from '../core/index.js';
import type { ServerContext } from './server-context.js';

/** Hashes one user may read, at most this many remembered (then the set starts afresh). */
const MAX_GRANTED = 200_000;

/**
 * Who may read a blob by hash. Content addressing must not turn "knows a hash" into "may read the
 * bytes": a non-admin reads a manifest only when an artifact record of a run or logged model in an
 * experiment they may READ names it, and a chunk only after reading a manifest that lists it (the
 * SDK always reads the manifest first). With auth off everyone may read everything.
 */
export class BlobReadGuard {
  private readonly granted = new Map<string, Set<string>>();

  constructor(private readonly ctx: ServerContext) {}

  async check(request: FastifyRequest, hash: string): Promise<void> {
    const { access } = this.ctx;
    if (access.unrestricted(request)) return;
    const user = access.userName(request) ?? '';
    if (this.granted.get(user)?.has(hash)) return;
    if (await this.readableManifest(request, hash)) {
      const manifest = await readManifest(this.ctx.blobs, hash);
      this.grant(user, [hash, ...manifest.chunks.map((c) => c.hash)]);
      return;
    }
    // The same answer whether the blob exists or not: existence is also information.
    throw new MlopsError(
      'PERMISSION_DENIED',
      `Blob ${hash} is not readable by '${user}': read it through a run you may read (\`mlops artifacts download\`).`,
    );
  }

  /** The uploader of bytes evidently knows them: they may read and record them. */
  uploaded(request: FastifyRequest, hash: string): void {
    if (this.ctx.access.unrestricted(request)) return;
    this.grant(this.ctx.access.userName(request) ?? '', [hash]);
  }

  private async readableManifest(request: FastifyRequest, hash: string): Promise<boolean> {
    for (const owner of await this.ctx.loggedModels.manifestOwners(hash)) {
      const experimentId = await this.experimentOf(owner);
      if (
        experimentId !== undefined &&
        (await this.ctx.access.allows(request, experimentId, 'READ'))
      ) {
        return true;
      }
    }
    return false;
  }

  private async experimentOf(owner: string): Promise<string | undefined> {
    try {
      return owner.startsWith('m-')
        ? (await this.ctx.loggedModels.get(owner)).experimentId
        : (await this.ctx.store.getRun(owner)).info.experimentId;
    } catch {
      return undefined; // a deleted model or a record of a vanished run grants nothing
    }
  }

  private grant(user: string, hashes: readonly string[]): void {
    let set = this.granted.get(user);
    if (!set || set.size > MAX_GRANTED) this.granted.set(user, (set = new Set()));
    for (const h of hashes) set.add(h);
  }
}
