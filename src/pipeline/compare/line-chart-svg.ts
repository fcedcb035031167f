import { escapeXml } from '../../core/index.js';
import { numberTicks, timeTicks, type AxisTicks } from './axis-ticks.js';

/** One line of a chart. */
export interface ChartSeries {
  /** Shown in the legend. */
  readonly label: string;
  /** A CSS colour. */
  readonly colour: string;
  /** `[x, y]` in drawing order; a null y breaks the line. */
  readonly points: readonly (readonly [number, number | null])[];
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** x values are epoch milliseconds (ticks labelled as dates). */
  readonly xTime?: boolean;
  /** Points only, no lines. */
  readonly scatter?: boolean;
  readonly series: readonly ChartSeries[];
}

const WIDTH = 760;
const HEIGHT = 360;
const LEFT = 70;
const RIGHT = 170;
const TOP = 40;
const BOTTOM = 56;
/** Series with at most this many points also get a dot per point (a single point shows). */
const DOTS_UP_TO = 40;

/**
 * A self-contained SVG line chart: title, axes with ticks, a legend, and one `<path>` per series
 * that has a point to draw (`scatter`: dots only). Every text is escaped.
 */
export function lineChartSvg(chart: LineChart): string {
  const xs = chart.series.flatMap((s) => s.points.map(([x]) => x)).filter(Number.isFinite);
  const ys = chart.series
    .flatMap((s) => s.points.map(([, y]) => y))
    .filter((y): y is number => y !== null && Number.isFinite(y));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  if (xs.length === 0 || ys.length === 0) {
    parts.push(
      `<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">no numeric values to draw</text>`,
    );
    return [...parts, '</svg>'].join('\n');
  }
  const xTicks = (chart.xTime ? timeTicks : numberTicks)(Math.min(...xs), Math.max(...xs));
  const yTicks = numberTicks(Math.min(...ys), Math.max(...ys));
  const sx = scale(xTicks, LEFT, WIDTH - RIGHT);
  const sy = scale(yTicks, HEIGHT - BOTTOM, TOP);
  parts.push(...axes(chart, xTicks, yTicks, sx, sy));
  chart.series.forEach((series, i) =>
    parts.push(...drawSeries(series, chart.scatter ?? false, sx, sy), legendEntry(series, i)),
  );
  parts.push('</svg>');
  return parts.join('\n');
}

function scale(ticks: AxisTicks, from: number, to: number): (v: number) => number {
  const k = (to - from) / (ticks.max - ticks.min);
  return (v) => Math.round((from + (v - ticks.min) * k) * 10) / 10;
}

function axes(
  chart: LineChart,
  xTicks: AxisTicks,
  yTicks: AxisTicks,
  sx: (v: number) => number,
  sy: (v: number) => number,
): string[] {
  const bottom = HEIGHT - BOTTOM;
  const right = WIDTH - RIGHT;
  const out = [
    `<line x1="${LEFT}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${bottom}" stroke="#333"/>`,
  ];
  for (const v of xTicks.values) {
    const x = sx(v);
    out.push(
      `<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="#333"/>`,
      `<text x="${x}" y="${bottom + 18}" text-anchor="middle">${escapeXml(xTicks.label(v))}</text>`,
    );
  }
  for (const v of yTicks.values) {
    const y = sy(v);
    out.push(
      `<line x1="${LEFT}" y1="${y}" x2="${right}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end">${escapeXml(yTicks.label(v))}</text>`,
    );
  }
  out.push(
    `<text x="${(LEFT + right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text x="16" y="${(TOP + bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(TOP + bottom) / 2})">${escapeXml(chart.yLabel)}</text>`,
  );
  return out;
}

function drawSeries(
  series: ChartSeries,
  scatter: boolean,
  sx: (v: number) => number,
  sy: (v: number) => number,
): string[] {
  const points = series.points.map(([x, y]) =>
    y === null || !Number.isFinite(y) || !Number.isFinite(x) ? null : ([sx(x), sy(y)] as const),
  );
  const drawn = points.filter((p) => p !== null);
  if (drawn.length === 0) return [];
  const out: string[] = [];
  if (!scatter) {
    let d = '';
    let pen = false;
    for (const p of points) {
      if (p === null) pen = false;
      else {
        d += `${pen ? 'L' : 'M'}${p[0]} ${p[1]}`;
        pen = true;
      }
    }
    out.push(
      `<path d="${d}" fill="none" stroke="${series.colour}" stroke-width="1.8" data-series="${escapeXml(series.label)}"/>`,
    );
  }
  if (scatter || drawn.length <= DOTS_UP_TO) {
    for (const [x, y] of drawn)
      out.push(`<circle cx="${x}" cy="${y}" r="2.5" fill="${series.colour}"/>`);
  }
  return out;
}

function legendEntry(series: ChartSeries, i: number): string {
  const x = WIDTH - RIGHT + 16;
  const y = TOP + 8 + i * 18;
  return `<g><line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${series.colour}" stroke-width="3"/><text x="${x + 24}" y="${y + 4}">${escapeXml(clip(series.label, 22))}</text></g>`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
