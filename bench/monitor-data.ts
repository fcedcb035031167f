// Generated columns for the monitor benchmark: fixed seed, normal and lognormal, the current
// window shifted in a few columns so that some (not most) columns drift.
import type { MonitorDataset } from '../src/monitoring/index.js';
import { mulberry32 } from './data-gen.js';

export interface DriftData {
  readonly reference: MonitorDataset;
  readonly current: MonitorDataset;
  /** Raw float64 bytes of every column on both sides. */
  readonly bytes: number;
}

/** `rows` x `cols` on each side; every 4th column lognormal; columns 0 and 5 shift in current. */
export function driftData(rows: number, cols: number, seed = 8): DriftData {
  const random = mulberry32(seed);
  const column = (c: number, shift: number): Float64Array => {
    const out = new Float64Array(rows);
    const lognormal = c % 4 === 3;
    for (let i = 0; i < rows; i += 2) {
      // Box-Muller: two normals per pair of uniforms.
      const r = Math.sqrt(-2 * Math.log(1 - random()));
      const t = 2 * Math.PI * random();
      out[i] = r * Math.cos(t) + shift;
      if (i + 1 < rows) out[i + 1] = r * Math.sin(t) + shift;
    }
    if (lognormal) for (let i = 0; i < rows; i++) out[i] = Math.exp(out[i]! * 0.25 + 3);
    return out;
  };
  const side = (current: boolean): MonitorDataset => {
    const columns: Record<string, Float64Array> = {};
    for (let c = 0; c < cols; c++) {
      columns[`f${c}`] = column(c, current && c % 5 === 0 ? 0.25 : 0);
    }
    return { rows, columns };
  };
  return { reference: side(false), current: side(true), bytes: 2 * rows * cols * 8 };
}
