import type { SeededRandom } from './seeded-random.js';

/** Draws one inverted-dropout mask of `size` values: 0 with probability `rate`, else 1/(1-rate). */
export type MaskSource = (size: number, rate: number) => Float32Array;

/**
 * Masks drawn from the run's one advancing generator, so every training step gets a fresh mask
 * and the same seed replays the same masks (unlike a seeded tfjs Dropout layer, which rebuilds
 * its generator from the seed on every call and so repeats one mask).
 */
export function seededDropoutMasks(rng: SeededRandom): MaskSource {
  return (size, rate) => {
    const keep = 1 - rate;
    const scale = 1 / keep;
    const mask = new Float32Array(size);
    for (let i = 0; i < size; i++) mask[i] = rng.next() < keep ? scale : 0;
    return mask;
  };
}
