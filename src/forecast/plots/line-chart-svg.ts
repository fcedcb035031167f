import { escapeXml, invalidParam } from '../../core/index.js';
import { decimalsForStep, formatFixed } from './format-number.js';
import { niceTicks } from './nice-ticks.js';

export interface LineSeries {
  readonly name: string;
  /** One value per x; non-finite values leave a gap. */
  readonly values: ArrayLike<number>;
  readonly color: string;
  readonly dashed?: boolean;
  /** Dots at each point (for short series such as epochs). */
  readonly markers?: boolean;
}

export interface LineChartSpec {
  readonly title: string;
  /** Shared x coordinate of each point, increasing. */
  readonly x: ArrayLike<number>;
  readonly series: readonly LineSeries[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Text of an x tick (e.g. the date of a row index); default: the number itself. */
  readonly xTickLabel?: (x: number) => string;
  /** Draw y = 0 (for residuals). */
  readonly zeroLine?: boolean;
  readonly width?: number;
  readonly height?: number;
}

// The right margin leaves room for half of a centred date label at the last tick.
const MARGIN = { top: 52, right: 44, bottom: 56, left: 72 };
const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';
/** Rough glyph width at 12px, to space legend entries without measuring text. */
const CHAR_WIDTH = 7;

/**
 * A small, dependency-free SVG line chart: title, legend, axes with round ticks and labels, grid.
 * Output depends only on the spec (fixed 2-decimal coordinates, no ids, dates or locale), so the
 * same input gives the same bytes.
 */
export function lineChartSvg(spec: LineChartSpec): string {
  const width = spec.width ?? 800;
  const height = spec.height ?? 400;
  const n = spec.x.length;
  if (n === 0 || !Array.from(spec.x).every(Number.isFinite)) {
    throw invalidParam(`Chart '${spec.title}': expected at least one point and finite x values.`);
  }
  for (const s of spec.series) {
    if (s.values.length !== n) {
      throw invalidParam(
        `Chart '${spec.title}': series '${s.name}' has ${s.values.length} values for ${n} x positions.`,
      );
    }
  }
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const xs = Array.from(spec.x);
  // reduce, not Math.min(...xs): spreading long series can overflow the call stack.
  const xMin = xs.reduce((a, b) => Math.min(a, b), Infinity);
  const xMax = xs.reduce((a, b) => Math.max(a, b), -Infinity);
  const xSpan = xMax > xMin ? xMax - xMin : 1;
  const finite = spec.series.flatMap((s) => Array.from(s.values).filter(Number.isFinite));
  if (spec.zeroLine) finite.push(0);
  const yMin = finite.length ? finite.reduce((a, b) => Math.min(a, b)) : 0;
  const yMax = finite.length ? finite.reduce((a, b) => Math.max(a, b)) : 1;
  const y = niceTicks(yMin, yMax, 6);
  const yLo = y.niceMin;
  const ySpan = y.niceMax - yLo;
  const px = (v: number): number => MARGIN.left + ((v - xMin) / xSpan) * plotW;
  const py = (v: number): number => MARGIN.top + plotH - ((v - yLo) / ySpan) * plotH;
  const f = (v: number): string => formatFixed(v, 2);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12" role="img" aria-label="${escapeXml(spec.title)}">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${f(width / 2)}" y="22" font-size="16" text-anchor="middle">${escapeXml(spec.title)}</text>`,
  ];
  // y grid and ticks
  const yDecimals = decimalsForStep(y.step);
  for (const t of y.niceDomainTicks) {
    const yy = f(py(t));
    out.push(
      `<line x1="${MARGIN.left}" y1="${yy}" x2="${MARGIN.left + plotW}" y2="${yy}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${f(py(t) + 4)}" text-anchor="end">${formatFixed(t, yDecimals)}</text>`,
    );
  }
  // x ticks (integers when labelled by row, e.g. dates)
  const xt = niceTicks(xMin, xMax, 6, spec.xTickLabel !== undefined);
  const xDecimals = decimalsForStep(xt.step);
  for (const t of xt.ticks) {
    const xx = f(px(t));
    const label = spec.xTickLabel ? spec.xTickLabel(t) : formatFixed(t, xDecimals);
    out.push(
      `<line x1="${xx}" y1="${MARGIN.top + plotH}" x2="${xx}" y2="${MARGIN.top + plotH + 5}" stroke="#333333"/>`,
      `<text x="${xx}" y="${MARGIN.top + plotH + 19}" text-anchor="middle">${escapeXml(label)}</text>`,
    );
  }
  // axes and labels
  out.push(
    `<path d="M${MARGIN.left} ${MARGIN.top}V${MARGIN.top + plotH}H${MARGIN.left + plotW}" fill="none" stroke="#333333"/>`,
    `<text x="${f(MARGIN.left + plotW / 2)}" y="${height - 12}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="rotate(-90)" x="${f(-(MARGIN.top + plotH / 2))}" y="18" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  if (spec.zeroLine) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${f(py(0))}" x2="${MARGIN.left + plotW}" y2="${f(py(0))}" stroke="#777777" stroke-dasharray="4 3"/>`,
    );
  }
  for (const s of spec.series) out.push(...seriesSvg(s, xs, px, py, f));
  out.push(...legendSvg(spec.series), '</svg>');
  return out.join('\n') + '\n';
}

function seriesSvg(
  s: LineSeries,
  xs: readonly number[],
  px: (v: number) => number,
  py: (v: number) => number,
  f: (v: number) => string,
): string[] {
  let d = '';
  let pen = false;
  const dots: string[] = [];
  xs.forEach((x, i) => {
    const v = s.values[i] ?? Number.NaN;
    if (!Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${f(px(x))} ${f(py(v))}`;
    pen = true;
    if (s.markers)
      dots.push(`<circle cx="${f(px(x))}" cy="${f(py(v))}" r="2.5" fill="${s.color}"/>`);
  });
  const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
  const path = `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${dash} data-series="${escapeXml(s.name)}"/>`;
  return [path, ...dots];
}

function legendSvg(series: readonly LineSeries[]): string[] {
  const out: string[] = [];
  let x = MARGIN.left;
  for (const s of series) {
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<line x1="${x}" y1="38" x2="${x + 22}" y2="38" stroke="${s.color}" stroke-width="2"${dash}/>`,
      `<text x="${x + 28}" y="42">${escapeXml(s.name)}</text>`,
    );
    x += 44 + s.name.length * CHAR_WIDTH;
  }
  return out;
}
