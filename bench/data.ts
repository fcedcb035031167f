// npm run bench -- data [--only hash,add,dedup,small,push] [--reps N] [--size-mb N]
//                       [--versions N] [--files N] [--push-mb N]
// Figures (issue 4): identity hashing and `data add` of a 1 GiB file against `openssl dgst
// -sha256` of the same file; store bytes after 250 appended / edited versions of a 64 MB CSV
// against the last version's size; `data add` and no-change `data status` of 100,000 small files
// against a plain readdir+stat walk; push/pull of a 256 MiB file to a local s3rver against the
// AWS SDK's own multipart upload and download. Every baseline is measured in this same run.
// Inputs live in a temp directory that is removed at the end, also on failure.
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { LocalBlobStore, type BlobStore } from '../src/blobs/index.js';
import { addData, dataStatus, type DataContext } from '../src/data/index.js';
import { mulberry32, OhlcvGenerator, writeRandomFile, writeSmallFiles } from './data-gen.js';
import { pushPull } from './data-push.js';
import { NameOnlyBlobStore } from './data-memory-store.js';
import { nodeSha256, opensslSha256, seconds, storeUsage, walkStat } from './data-measure.js';
import { median, report } from './report.js';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const num = (name: string, fallback: number) => Number(flag(name) ?? fallback) || fallback;
const reps = num('--reps', 3);
const sizeMb = num('--size-mb', 1024);
const versions = num('--versions', 250);
// s3rver takes ~10 MB/s of small PUTs here: 1 GiB would add ~3 minutes (--push-mb 1024).
const pushMb = num('--push-mb', 256);
const smallFiles = num('--files', 100_000);
const only = new Set((flag('--only') ?? 'hash,add,dedup,small,push').split(','));
const MB = 1_000_000;
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mlops.js');

const scratch = await mkdtemp(join(tmpdir(), 'mlops-bench-data-'));
const cleanup = () => rmSync(scratch, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}
const log = (text: string) => process.stderr.write(`[bench data] ${text}\n`);
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/** A data context whose workspace is `root`, with its own state directory and store. */
function context(root: string, state = '.mlops'): DataContext {
  const stateDir = join(root, state);
  return { root, stateDir, blobs: new LocalBlobStore(join(stateDir, 'blobs')) };
}

/** A store that adds up the time spent in `put` and `flush` (the file system's share). */
function timedPuts(inner: BlobStore): { blobs: BlobStore; putSeconds: () => number } {
  let spent = 0;
  const blobs = Object.create(inner) as BlobStore;
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const t0 = performance.now();
      try {
        return await fn(...args);
      } finally {
        spent += performance.now() - t0;
      }
    };
  blobs.put = timed((bytes: Uint8Array) => inner.put(bytes));
  blobs.flush = timed(() => inner.flush());
  return { blobs, putSeconds: () => spent / 1000 };
}

// ---- hash_mb_per_s / add_mb_per_s -----------------------------------------------------------

const bigDir = join(scratch, 'big');
const bigFile = join(bigDir, 'big.bin');
const bigBytes = sizeMb * 1024 * 1024;
let bigReady = false;
let opensslRuns: number[] = [];

async function big(): Promise<void> {
  if (bigReady) return;
  await mkdir(bigDir, { recursive: true });
  log(`writing ${sizeMb} MiB of pseudo-random bytes`);
  await writeRandomFile(bigFile, bigBytes, 'bench-data-big');
  await opensslSha256(bigFile); // warm the page cache: every run below reads from memory
  bigReady = true;
}

async function opensslMedian(): Promise<number> {
  while (opensslRuns.length < reps) opensslRuns.push((await opensslSha256(bigFile)).s);
  return median(opensslRuns);
}

async function hash(): Promise<void> {
  await big();
  const ours: number[] = [];
  opensslRuns = [];
  let digests = new Set<string>();
  for (let rep = 0; rep < reps; rep++) {
    const o = await opensslSha256(bigFile);
    const n = await nodeSha256(bigFile);
    opensslRuns.push(o.s);
    ours.push(n.s);
    digests = new Set([...digests, o.sha256, n.sha256]);
  }
  if (digests.size !== 1) throw new Error(`hashes differ: ${[...digests].join(' ')}`);
  // Where the gap comes from: sha256 of bytes already in memory (no I/O), and larger pieces.
  const inMemory = await seconds(async () => {
    const piece = Buffer.alloc(64 * 1024 * 1024, 7);
    const hasher = createHash('sha256');
    for (let left = bigBytes; left > 0; left -= piece.byteLength) hasher.update(piece);
    hasher.digest();
  });
  const larger: number[] = [];
  for (let rep = 0; rep < reps; rep++) larger.push((await nodeSha256(bigFile, 4 << 20)).s);
  const pieces4m = median(larger);
  const rate = bigBytes / MB / median(ours);
  const base = bigBytes / MB / median(opensslRuns);
  report({
    bench: 'data',
    metric: 'hash_mb_per_s',
    value: round(rate, 1),
    unit: 'MB/s',
    baseline: { name: 'openssl dgst -sha256', value: round(base, 1) },
    ratio: round(rate / base),
    bytes: bigBytes,
    reps,
    hasher: 'node:crypto sha256 over createReadStream, 1 MiB pieces (as src/data/hash-file.ts)',
    in_memory_mb_per_s: round(bigBytes / MB / inMemory, 1),
    pieces_4mib_mb_per_s: round(bigBytes / MB / pieces4m, 1),
    goal_ratio: 0.8,
  });
}

async function add(): Promise<void> {
  await big();
  const runs: number[] = [];
  const puts: number[] = [];
  let chunks = 0;
  for (let rep = 0; rep < reps; rep++) {
    const state = `.mlops-add-${rep}`;
    const plain = context(bigDir, state);
    const { blobs, putSeconds } = timedPuts(plain.blobs);
    await rm(`${bigFile}.mlops`, { force: true });
    const s = await seconds(() => addData({ ...plain, blobs }, ['big.bin']));
    runs.push(s);
    puts.push(putSeconds());
    chunks = (await storeUsage(join(bigDir, state, 'blobs'))).blobs - 1;
    await rm(join(bigDir, state), { recursive: true, force: true });
  }
  // The same add into a store that writes nothing: reading, cutting and hashing alone.
  const memory = { ...context(bigDir, '.mlops-memory'), blobs: new NameOnlyBlobStore() };
  await rm(`${bigFile}.mlops`, { force: true });
  const memoryS = await seconds(() => addData(memory, ['big.bin']));
  await rm(join(bigDir, '.mlops-memory'), { recursive: true, force: true });
  const rate = bigBytes / MB / median(runs);
  const base = bigBytes / MB / (await opensslMedian());
  report({
    bench: 'data',
    metric: 'add_mb_per_s',
    value: round(rate, 1),
    unit: 'MB/s',
    baseline: { name: 'openssl dgst -sha256', value: round(base, 1) },
    ratio: round(rate / base),
    bytes: bigBytes,
    chunks,
    reps,
    // Time inside BlobStore.put and flush (chunk sha256, stat, temp file create+write, rename;
    // one syncfs); the rest is reading, FastCDC cutting and the whole-file sha256.
    store_share: round(median(puts) / median(runs), 2),
    // Reading, cutting and hashing only (a store that writes nothing).
    no_writes_mb_per_s: round(bigBytes / MB / memoryS, 1),
    goal_ratio: 0.4,
  });
}

// ---- dedup_bytes_ratio_to_last[_edits] ------------------------------------------------------

const BASE_CSV_BYTES = 64 * 1024 * 1024;

async function dedup(variant: 'append' | 'edits'): Promise<void> {
  const root = join(scratch, `dedup-${variant}`);
  await mkdir(root, { recursive: true });
  const ctx = context(root);
  const file = join(root, 'prices.csv');
  const gen = new OhlcvGenerator(42);
  const parts = [OhlcvGenerator.HEADER];
  let size = OhlcvGenerator.HEADER.length;
  while (size < BASE_CSV_BYTES) {
    const day = gen.nextDay();
    parts.push(day);
    size += day.length;
  }
  const bytes = Buffer.from(parts.join(''), 'latin1');
  await writeFile(file, bytes);
  await addData(ctx, ['prices.csv']);
  let total = bytes.byteLength;
  const rand = mulberry32(variant === 'append' ? 1 : 2);
  const handle = variant === 'edits' ? await open(file, 'r+') : undefined;
  const t0 = performance.now();
  try {
    for (let v = 1; v <= versions; v++) {
      if (handle) {
        const at = closeDigitOffset(bytes, Math.floor(rand() * bytes.byteLength));
        bytes[at] = 48 + (((bytes[at] ?? 48) - 48 + 1) % 10);
        await handle.write(bytes, at, 1, at);
      } else {
        const day = gen.nextDay();
        await appendFile(file, day, 'latin1');
        size += day.length;
      }
      total += handle ? bytes.byteLength : size;
      await addData(ctx, ['prices.csv']);
      if (v === 10 && versions > 10) {
        const per = (performance.now() - t0) / 1000 / 10;
        log(`${variant}: ${per.toFixed(2)} s/version, ~${Math.round(per * versions)} s total`);
      }
    }
  } finally {
    await handle?.close();
  }
  const perVersion = (performance.now() - t0) / 1000 / versions;
  const last = handle ? bytes.byteLength : size;
  const usage = await storeUsage(ctx.blobs.location);
  const value = usage.bytes / last;
  const whole = total / last;
  report({
    bench: 'data',
    metric: variant === 'append' ? 'dedup_bytes_ratio_to_last' : 'dedup_bytes_ratio_to_last_edits',
    value: round(value),
    unit: 'x last version',
    baseline: { name: 'whole-file store (sum of all versions)', value: round(whole, 1) },
    ratio: round(value / whole, 4),
    versions: versions + 1,
    last_bytes: last,
    store_bytes: usage.bytes,
    store_disk_bytes: usage.diskBytes,
    manifests: usage.manifests,
    manifest_bytes: usage.manifestBytes,
    chunks: usage.blobs - usage.manifests,
    whole_file_bytes: total,
    s_per_version: round(perVersion),
    goal: 1.5,
  });
  await rm(root, { recursive: true, force: true });
}

/** The offset of the last digit of the Close field of the first full row at or after `from`. */
function closeDigitOffset(bytes: Buffer, from: number): number {
  let row = bytes.indexOf(10, Math.max(from, OhlcvGenerator.HEADER.length - 1)) + 1;
  if (row <= 0 || row >= bytes.byteLength) row = OhlcvGenerator.HEADER.length;
  let at = row;
  for (let commas = 0; commas < 5; at++) if (bytes[at] === 44) commas++;
  return at - 2; // `at` is just past the 5th comma
}

// ---- add_100k_s / status_100k_s -------------------------------------------------------------

async function small(): Promise<void> {
  const root = join(scratch, 'small');
  const dir = join(root, 'files');
  log(`writing ${smallFiles} files`);
  await writeSmallFiles(dir, smallFiles);
  const ctx = context(root);
  await walkStat(dir);
  const walks: number[] = [];
  for (let rep = 0; rep < reps; rep++) walks.push(await seconds(() => walkStat(dir)));
  const walk = median(walks);
  const count = (await walkStat(dir)).files;

  const addS = await seconds(() => addData(ctx, ['files']));
  report({
    bench: 'data',
    metric: 'add_100k_s',
    value: round(addS, 2),
    unit: 's',
    baseline: { name: 'readdir+stat walk, same process', value: round(walk, 3) },
    ratio: round(addS / walk, 1),
    files: count,
    file_bytes: 100,
    store: await storeUsage(ctx.blobs.location),
  });

  const statuses: number[] = [];
  // Past 10 s a run, one is enough to say the goal is missed.
  for (let rep = 0; rep < reps && (statuses[0] ?? 0) < 10; rep++) {
    statuses.push(
      await seconds(async () => {
        const [entry] = await dataStatus(ctx, []);
        if (entry?.status !== 'ok') throw new Error(`status says ${entry?.status ?? 'nothing'}`);
      }),
    );
  }
  const statusS = median(statuses);
  const cli = existsSync(join(dirname(CLI), '..', 'dist', 'index.js'))
    ? await seconds(() =>
        promisify(execFile)(process.execPath, [CLI, 'data', 'status'], { cwd: root }),
      )
    : undefined;
  report({
    bench: 'data',
    metric: 'status_100k_s',
    value: round(statusS, 2),
    unit: 's',
    baseline: { name: 'readdir+stat walk, same process', value: round(walk, 3) },
    ratio: round(statusS / walk, 1),
    files: count,
    reps: statuses.length,
    ...(cli === undefined ? {} : { cli_s: round(cli, 2) }),
    stat_cache_bytes: (await readFile(join(ctx.stateDir, 'stat-cache.json'))).byteLength,
    goal_s: 3,
  });
  await rm(root, { recursive: true, force: true });
}

// ---- push_mb_per_s / pull_mb_per_s ----------------------------------------------------------

async function push(): Promise<void> {
  const dir = join(scratch, 'push');
  const bytes = pushMb * 1024 * 1024;
  await mkdir(dir, { recursive: true });
  await writeRandomFile(join(dir, 'big.bin'), bytes, 'bench-data-push');
  await pushPull(dir, join(dir, 'big.bin'), bytes);
  await rm(dir, { recursive: true, force: true });
}

try {
  log(`scratch ${resolve(scratch)}`);
  if (only.has('hash')) await hash();
  if (only.has('add')) await add();
  if (only.has('dedup')) {
    await dedup('append');
    await dedup('edits');
  }
  if (only.has('small')) await small();
  if (only.has('push')) await push();
} finally {
  cleanup();
}
