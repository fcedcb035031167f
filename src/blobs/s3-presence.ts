/** The two ways to learn whether blobs are stored, as `S3BlobStore` offers them. */
export interface PresenceProbe {
  /** The size of one stored blob, undefined when absent: one request (HEAD). */
  head(hash: string): Promise<number | undefined>;
  /**
   * The blobs stored under one key shard (its first two hex digits; '' for the whole prefix),
   * with their sizes, reading at most `maxPages` list pages (one request each); `complete` is
   * false when it stopped there with more to read.
   */
  list(
    shard: string,
    maxPages: number,
  ): Promise<{ sizes: Map<string, number>; pages: number; complete: boolean }>;
}

export interface PresenceOptions {
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Keys per list page (1000 on S3). */
  readonly pageSize: number;
  /** Called with the number of hashes answered so far, as answers come in. */
  readonly onChecked?: (checked: number) => void;
  /**
   * Expected sizes: a blob stored with another size counts as absent, so that it is stored
   * again. S3 never shows a partial upload, but an S3-compatible server might.
   */
  readonly sizes?: ReadonlyMap<string, number>;
}

/** Key shards: blob keys are `<prefix>/<2 hex>/<62 hex>`. */
const SHARDS = 256;

/**
 * Which of `hashes` (unique, valid) are stored (with the expected size, where one is given), with
 * few requests. A HEAD answers for one blob; a list page for up to `pageSize` keys of one shard.
 * Up to one round of HEADs is as quick as anything; beyond that the shard with most wanted blobs
 * is listed first, as a sample of how full shards are. Then each other shard is listed when that
 * takes fewer requests than a HEAD per wanted blob in it, or, when the whole store is small enough
 * to list in fewer sequential pages than the rounds of requests per shard would take, the whole
 * prefix is listed at once (a first push to an empty remote: one request instead of one per
 * chunk).
 */
export async function findPresent(
  hashes: readonly string[],
  probe: PresenceProbe,
  options: PresenceOptions,
): Promise<Set<string>> {
  const { concurrency, sizes: expected } = options;
  const present = new Set<string>();
  let checked = 0;
  const answered = (wanted: readonly string[], sizeOf: (hash: string) => number | undefined) => {
    for (const hash of wanted) {
      const size = sizeOf(hash);
      if (size !== undefined && (expected?.get(hash) ?? size) === size) present.add(hash);
    }
    checked += wanted.length;
    options.onChecked?.(checked);
  };
  const headEach = (wanted: readonly string[]) =>
    wanted.map((hash) => async () => {
      const size = await probe.head(hash);
      answered([hash], () => size);
    });
  if (hashes.length <= concurrency) {
    await runAll(headEach(hashes), concurrency);
    return present;
  }

  const shards = new Map<string, string[]>();
  for (const hash of hashes) {
    const shard = hash.slice(0, 2);
    const group = shards.get(shard);
    if (group) group.push(hash);
    else shards.set(shard, [hash]);
  }
  const [[sampleShard, sampleWanted], ...rest] = [...shards].sort(
    (a, b) => b[1].length - a[1].length,
  ) as [[string, string[]], ...[string, string[]][]];
  // Listing the sample stops where a HEAD per wanted blob would have been cheaper.
  const sample = await probe.list(sampleShard, sampleWanted.length);
  if (!sample.complete) {
    // Shards hold more keys than are wanted from them: look each blob up.
    await runAll(headEach([sampleWanted, ...rest.map(([, w]) => w)].flat()), concurrency);
    return present;
  }
  answered(sampleWanted, (h) => sample.sizes.get(h));

  const pagesPerShard = Math.max(1, sample.pages);
  const shardRequests = rest.reduce((n, [, w]) => n + Math.min(w.length, pagesPerShard), 0);
  const wholePages = Math.max(1, Math.ceil((sample.sizes.size * SHARDS) / options.pageSize));
  if (wholePages * concurrency <= shardRequests) {
    const all = await probe.list('', Infinity);
    answered(
      rest.flatMap(([, w]) => w),
      (h) => all.sizes.get(h),
    );
    return present;
  }
  const tasks = rest.flatMap(([shard, wanted]) =>
    wanted.length > pagesPerShard
      ? [
          async () => {
            const listed = await probe.list(shard, Infinity);
            answered(wanted, (h) => listed.sizes.get(h));
          },
        ]
      : headEach(wanted),
  );
  await runAll(tasks, concurrency);
  return present;
}

/** Runs `tasks` with at most `limit` in flight; the first failure stops new ones and is thrown. */
async function runAll(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < tasks.length) {
      const task = tasks[next++] as () => Promise<void>;
      try {
        await task();
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
}
