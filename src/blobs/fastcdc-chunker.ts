import { invalidParam } from '../core/index.js';
import type { Chunker } from './chunker.js';
import { GEAR } from './fastcdc-gear.js';

/** Sizes a `FastCdcChunker` takes; every field is optional (`FASTCDC_DEFAULTS`). */
export interface FastCdcOptions {
  /** No chunk but the last is smaller (bytes); the hash does not even look at them. */
  readonly minSize?: number;
  /** The target size: below it the strict mask applies, above it the loose one (bytes). */
  readonly avgSize?: number;
  /** No chunk is larger: a chunk that reaches it is cut there (bytes; also the buffer size). */
  readonly maxSize?: number;
  /** Normalisation level 0-3: how many bits stricter/looser the masks are than log2(avgSize). */
  readonly normalization?: number;
}

/** 16 KiB / 64 KiB / 256 KiB, normalisation level 2 (the FastCDC paper's NC-2). */
export const FASTCDC_DEFAULTS = {
  minSize: 16 * 1024,
  avgSize: 64 * 1024,
  maxSize: 256 * 1024,
  normalization: 2,
} as const;

/** The hash looks at the last 32 bytes, so smaller minimum sizes make little sense. */
const MIN_SIZE_FLOOR = 64;
/** The chunker buffers up to `maxSize` bytes. */
const MAX_SIZE_CEILING = 1 << 30;

/**
 * Content-defined chunking after FastCDC (Xia et al., USENIX ATC 2016; TPDS 2020): cut points
 * depend on the bytes around them, not on their offset, so inserting or deleting bytes changes
 * only the chunks around the edit, and appending changes only the last chunk.
 *
 * - Gear rolling hash on 32 bits: `h = (h << 1) + GEAR[byte]`, so `h` depends on the last 32
 *   bytes only. `GEAR` is a fixed table (fastcdc-gear.ts).
 * - Cut-point skipping: the first `minSize` bytes of a chunk are not hashed (`h` starts at 0).
 * - Normalised chunking: from `minSize` to `avgSize` a cut needs the top `log2(avg) + level` bits
 *   of `h` to be zero (rarely true), from `avgSize` to `maxSize` only the top `log2(avg) - level`
 *   bits (often true), which packs chunk sizes around `avgSize`. At `maxSize` the chunk is cut.
 *
 * Streaming: the input may come in pieces of any size; the hash state carries over between pieces,
 * so the boundaries are the same whatever the piece sizes. At most `maxSize` bytes of an unfinished
 * chunk are held between pieces.
 */
export class FastCdcChunker implements Chunker {
  readonly minSize: number;
  readonly avgSize: number;
  readonly maxSize: number;
  readonly normalization: number;
  readonly name: string;
  /** Mask tested before `avgSize` (more bits: a cut is less likely). */
  readonly maskSmall: number;
  /** Mask tested from `avgSize` on (fewer bits: a cut is more likely). */
  readonly maskLarge: number;

  constructor(options: FastCdcOptions = {}) {
    const minSize = options.minSize ?? FASTCDC_DEFAULTS.minSize;
    const avgSize = options.avgSize ?? FASTCDC_DEFAULTS.avgSize;
    const maxSize = options.maxSize ?? FASTCDC_DEFAULTS.maxSize;
    const normalization = options.normalization ?? FASTCDC_DEFAULTS.normalization;
    for (const [field, value] of [
      ['minSize', minSize],
      ['avgSize', avgSize],
      ['maxSize', maxSize],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < MIN_SIZE_FLOOR || value > MAX_SIZE_CEILING) {
        throw invalidParam(
          `Invalid FastCDC ${field} ${value}: expected an integer number of bytes from ` +
            `${MIN_SIZE_FLOOR} to ${MAX_SIZE_CEILING}.`,
          { [field]: value },
        );
      }
    }
    if (!(minSize <= avgSize && avgSize <= maxSize)) {
      throw invalidParam(
        `Invalid FastCDC sizes min ${minSize} / avg ${avgSize} / max ${maxSize}: expected ` +
          'minSize <= avgSize <= maxSize.',
        { minSize, avgSize, maxSize },
      );
    }
    if (!Number.isInteger(normalization) || normalization < 0 || normalization > 3) {
      throw invalidParam(
        `Invalid FastCDC normalization ${normalization}: expected an integer from 0 to 3.`,
        { normalization },
      );
    }
    const bits = Math.round(Math.log2(avgSize));
    if (bits + normalization > 31) {
      throw invalidParam(
        `Invalid FastCDC avgSize ${avgSize} with normalization ${normalization}: the strict mask ` +
          `would need ${bits + normalization} bits of a 32-bit hash (at most 31).`,
        { avgSize, normalization },
      );
    }
    this.minSize = minSize;
    this.avgSize = avgSize;
    this.maxSize = maxSize;
    this.normalization = normalization;
    this.maskSmall = topBits(bits + normalization);
    this.maskLarge = topBits(bits - normalization);
    this.name = `fastcdc-${minSize}-${avgSize}-${maxSize}-nc${normalization}`;
  }

  async *split(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    // Bytes of the current chunk that came in earlier pieces (always fewer than maxSize).
    const pending = Buffer.allocUnsafe(this.maxSize);
    let filled = 0;
    const state: CutState = { h: 0, length: 0 };
    const cuts: number[] = [];
    for await (const piece of source) {
      const end = piece.byteLength;
      // The hashing runs in plain functions, away from this generator: V8 optimises the hot loop
      // far better there (about 1.5x) than inlined into a generator.
      findCuts(piece, state, this, cuts);
      let start = 0; // where the current chunk's bytes in this piece begin
      for (const cut of cuts) {
        const chunk = Buffer.allocUnsafe(filled + (cut - start));
        chunk.set(pending.subarray(0, filled), 0);
        chunk.set(piece.subarray(start, cut), filled);
        yield chunk;
        filled = 0;
        start = cut;
      }
      if (start < end) {
        pending.set(piece.subarray(start, end), filled);
        filled += end - start;
      }
    }
    if (filled > 0) yield Buffer.from(pending.subarray(0, filled));
  }
}

/** Where the search for the current chunk's end stands, carried from one piece to the next. */
interface CutState {
  /** The gear hash so far. */
  h: number;
  /** Bytes of the current chunk looked at so far (in earlier pieces and this one). */
  length: number;
}

/** Puts into `cuts` the index just past every chunk that ends in `piece`. */
function findCuts(piece: Uint8Array, state: CutState, sizes: FastCdcChunker, cuts: number[]): void {
  cuts.length = 0;
  const end = piece.byteLength;
  let cut = 0;
  while ((cut = findCut(piece, cut, end, state, sizes)) >= 0) cuts.push(cut);
}

/**
 * Looks for the end of the current chunk in `piece[from, end)` (the chunk began `state.length`
 * bytes before `from`): the index just past its last byte, or -1 when the piece ends first. On a
 * cut the state is reset for the next chunk.
 */
function findCut(
  piece: Uint8Array,
  from: number,
  end: number,
  state: CutState,
  sizes: FastCdcChunker,
): number {
  const { minSize, avgSize, maxSize } = sizes;
  let length = state.length;
  let at = from;
  if (length < minSize) {
    const skip = Math.min(minSize - length, end - at);
    at += skip;
    length += skip;
    if (length < minSize) {
      state.length = length;
      return -1;
    }
  }
  if (length < avgSize) {
    const limit = Math.min(end, at + (avgSize - length));
    const cut = scan(piece, at, limit, sizes.maskSmall, state);
    if (cut >= 0) return reset(state, cut);
    length += limit - at;
    at = limit;
    if (length < avgSize) {
      state.length = length;
      return -1;
    }
  }
  const limit = Math.min(end, at + (maxSize - length));
  const cut = scan(piece, at, limit, sizes.maskLarge, state);
  if (cut >= 0) return reset(state, cut);
  length += limit - at;
  if (length === maxSize) return reset(state, limit);
  state.length = length;
  return -1;
}

function reset(state: CutState, cut: number): number {
  state.h = 0;
  state.length = 0;
  return cut;
}

/**
 * Rolls the gear hash over `data[from, to)`: the index just past the first byte after which
 * `(h & mask) === 0`, or -1 when there is none. The hash reached is left in `state.h`. All
 * arithmetic stays in signed 32-bit integers (`| 0` wraps the sum), with no allocation.
 */
function scan(data: Uint8Array, from: number, to: number, mask: number, state: CutState): number {
  const gear = GEAR;
  let h = state.h;
  for (let i = from; i < to; i++) {
    h = ((h << 1) + gear[data[i]!]!) | 0;
    if ((h & mask) === 0) {
      state.h = h;
      return i + 1;
    }
  }
  state.h = h;
  return -1;
}

/** A mask of the top `n` bits of a 32-bit integer (the bits that see the most bytes). */
function topBits(n: number): number {
  return n <= 0 ? 0 : (-1 << (32 - n)) | 0;
}
