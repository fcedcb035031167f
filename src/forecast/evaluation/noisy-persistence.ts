import { invalidParam } from '../../core/index.js';
import { populationStd } from './forecast-metrics.js';
import { SeededRandom } from '../models/seeded-random.js';

/**
 * Control: persistence plus Gaussian noise whose std equals the std of the actual daily changes
 * (actual - previous). It moves as much as the market while knowing nothing, so it shows what
 * change_std_ratio ~ 1, directional accuracy ~ 0.5 and skill ~ 1 - sqrt(2) look like for noise.
 * Deterministic for a seed (the models' mulberry32 generator, Box-Muller normals).
 */
export function noisyPersistence(
  previous: Float64Array,
  actual: Float64Array,
  seed: number,
): Float64Array {
  if (previous.length !== actual.length || actual.length === 0) {
    throw invalidParam(
      `noisyPersistence: 'previous' (${previous.length}) and 'actual' (${actual.length}) need the same, non-zero length.`,
    );
  }
  if (!Number.isSafeInteger(seed))
    throw invalidParam(`noisyPersistence: seed ${seed} must be an integer.`);
  const changes = actual.map((a, i) => a - (previous[i] ?? Number.NaN));
  const std = populationStd(changes);
  const random = new SeededRandom(seed);
  return previous.map((p) => p + std * random.normal());
}
