// One peak-memory measurement of the monitor benchmark, in a process of its own so the RSS
// high-water mark belongs to this measurement only. Prints one JSON line:
// {"ratio": (max RSS - RSS before the data) / raw float64 bytes, ...}.
// argv: <rows> <cols> <mode: drift | data> [workers]
import { computeDataDrift } from '../src/monitoring/index.js';
import { readFileSync } from 'node:fs';
import { driftData } from './monitor-data.js';

/**
 * The RSS high-water mark of this process in bytes, all threads. Linux's VmHWM starts afresh at
 * exec; getrusage's maxRSS does not (a child forked from a big parent inherits its mark), so it
 * is only the fallback off Linux.
 */
function highWaterMark(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m?.[1]) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const [rows, cols, mode, workers] = process.argv.slice(2);
const before = process.memoryUsage().rss;
const data = driftData(Number(rows), Number(cols));
if (mode === 'drift') {
  const options = workers === undefined ? {} : { workers: Number(workers) };
  const result = await computeDataDrift(data.reference, data.current, options);
  if (result.testedColumns !== Number(cols)) throw new Error('not every column was tested');
}
const peak = highWaterMark();
process.stdout.write(
  JSON.stringify({ ratio: (peak - before) / data.bytes, peak, before, bytes: data.bytes }) + '\n',
);
