import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

/**
 * The worker's whole program (CommonJS, run with `eval`, so it needs no file of its own: the
 * same code runs from src/ under the tests and from dist/). It hashes each slot it is told
 * about and hands the slot back.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const hasher = require('node:crypto').createHash('sha256');
const slots = workerData.slots.map((sab) => new Uint8Array(sab));
parentPort.on('message', (m) => {
  if (m.end) parentPort.postMessage({ digest: hasher.digest('hex') });
  else {
    hasher.update(slots[m.slot].subarray(0, m.length));
    parentPort.postMessage({ slot: m.slot });
  }
});
`;

const SLOT_BYTES = 4 * 1024 * 1024;
const SLOTS = 4;

/** What `readFileHashed` found once its pieces have all been consumed. */
export interface HashedRead {
  sha256?: string;
  size: number;
}

/**
 * Reads `path` in 4 MiB pieces into shared memory and yields each piece, while a worker thread
 * computes the sha256 of the same bytes: the file's identity hash then costs the caller's thread
 * nothing (on two cores `data add` chunks and stores on one, hashes on the other). One read
 * serves both, so the hash always matches the bytes yielded. A yielded piece is valid until the
 * consumer asks for the next-but-three; `result` is filled when iteration ends.
 */
export async function* readFileHashed(path: string, result: HashedRead): AsyncIterable<Uint8Array> {
  const shared = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES));
  const slots = shared.map((sab) => Buffer.from(sab));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { slots: shared } });
  const waiting = new Map<number | 'digest', (value: string | undefined) => void>();
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure = err;
    for (const resolve of waiting.values()) resolve(undefined);
    waiting.clear();
  };
  worker.on('message', (m: { slot?: number; digest?: string }) => {
    const key = m.digest === undefined ? (m.slot ?? -1) : 'digest';
    const resolve = waiting.get(key);
    waiting.delete(key);
    resolve?.(m.digest);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`sha256 worker exited (code ${code})`)));
  const busy: (Promise<string | undefined> | undefined)[] = new Array(SLOTS);
  const handle = await open(path, 'r');
  try {
    for (let i = 0; ; i = (i + 1) % SLOTS) {
      await busy[i];
      if (failure) throw failure;
      const slot = slots[i]!;
      const { bytesRead } = await handle.read(slot, 0, SLOT_BYTES, null);
      if (bytesRead === 0) break;
      busy[i] = new Promise((resolve) => waiting.set(i, resolve));
      worker.postMessage({ slot: i, length: bytesRead });
      result.size += bytesRead;
      yield slot.subarray(0, bytesRead);
    }
    const digest = new Promise<string | undefined>((resolve) => waiting.set('digest', resolve));
    worker.postMessage({ end: true });
    const sha256 = await digest;
    if (failure || sha256 === undefined) throw failure ?? new Error('no sha256 from the worker');
    result.sha256 = sha256;
  } finally {
    await handle.close();
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}
