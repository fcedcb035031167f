/**
 * The gear table of the FastCDC chunker: 256 pseudo-random 32-bit values, one per byte value,
 * that the rolling hash adds in (`h = (h << 1) + GEAR[byte]`).
 *
 * The table is generated from `GEAR_SEED` with SplitMix32 (a Weyl sequence stepping by the golden
 * ratio 0x9e3779b9, each state finished with MurmurHash3's fmix32). Nothing random at run time:
 * every process on every machine gets the same table, so the same bytes always give the same
 * chunk boundaries. Changing the seed or the generator moves every boundary, so already stored
 * files would no longer dedupe against new ones; a test pins the table's checksum.
 */

/** ASCII `mlop`. */
export const GEAR_SEED = 0x6d6c6f70;

/** 256 values from SplitMix32 seeded with `seed`, as signed 32-bit integers. */
export function gearTable(seed: number): Int32Array {
  const table = new Int32Array(256);
  let state = seed | 0;
  for (let i = 0; i < 256; i++) {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    table[i] = z ^ (z >>> 16);
  }
  return table;
}

/** The table every `FastCdcChunker` uses. */
export const GEAR: Int32Array = gearTable(GEAR_SEED);
