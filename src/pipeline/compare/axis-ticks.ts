/** Tick values of an axis and how to label them. */
export interface AxisTicks {
  /** The domain, widened to whole steps. */
  readonly min: number;
  readonly max: number;
  readonly values: readonly number[];
  readonly label: (value: number) => string;
}

const DAY = 86_400_000;
const DAY_STEPS = [1, 2, 7, 14];
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600];

/** About `count` ticks at 1, 2 or 5 times a power of ten, covering [min, max]. */
export function numberTicks(min: number, max: number, count = 5): AxisTicks {
  const [lo, hi] = widen(min, max);
  const rough = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / magnitude;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
  const decimals = Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(Number((i * step).toFixed(decimals)));
  return {
    min: first * step,
    max: last * step,
    values,
    label: (v) => v.toFixed(decimals),
  };
}

/** Ticks for epoch milliseconds: whole days (UTC midnights) when the span allows, else times. */
export function timeTicks(min: number, max: number, count = 5): AxisTicks {
  const [lo, hi] = widen(min, max);
  const days = (hi - lo) / DAY;
  if (days < 2) {
    const ticks = numberTicks(lo, hi, count);
    return { ...ticks, label: (v) => new Date(v).toISOString().slice(5, 16).replace('T', ' ') };
  }
  const label = (v: number) => new Date(v).toISOString().slice(0, 10);
  const stepDays = DAY_STEPS.find((d) => days / d <= count);
  if (stepDays !== undefined) {
    const step = stepDays * DAY;
    const first = Math.floor(lo / step);
    const last = Math.ceil(hi / step);
    const values: number[] = [];
    for (let i = first; i <= last; i++) values.push(i * step);
    return { min: first * step, max: last * step, values, label };
  }
  // Months vary in length: ticks on the first of a month, every `months` months.
  const months =
    MONTH_STEPS.find((m) => days / 30.44 / m <= count) ?? Math.ceil(days / 30.44 / count);
  const start = new Date(lo);
  let month = start.getUTCFullYear() * 12 + start.getUTCMonth();
  month -= month % months;
  const values: number[] = [];
  for (;;) {
    const at = Date.UTC(Math.floor(month / 12), month % 12, 1);
    values.push(at);
    if (at >= hi) break;
    month += months;
  }
  return { min: values[0] ?? lo, max: values.at(-1) ?? hi, values, label };
}

/** A non-empty range: a single value gets room around it. */
function widen(min: number, max: number): [number, number] {
  if (max > min) return [min, max];
  const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
  return [min - pad, max + pad];
}
