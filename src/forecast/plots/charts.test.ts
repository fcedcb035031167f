import { describe, expect, it } from 'vitest';
import { actualVsPredictedSvg } from './actual-vs-predicted-svg.js';
import { learningCurvesSvg } from './learning-curves-svg.js';
import { niceTicks } from './nice-ticks.js';
import { residualsSvg } from './residuals-svg.js';

/**
 * A tiny well-formedness check (no DOMParser in Node): every tag is balanced and nested, every
 * attribute is quoted, and text holds no raw '<' or unescaped '&'.
 */
function expectWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let end = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const text = xml.slice(end, m.index);
    expect(text, `text before ${m[0]}`).not.toMatch(/<|&(?!(amp|lt|gt|quot|#39);)/);
    end = m.index + m[0].length;
    const [, closing, name = '', , selfClosing] = m;
    if (closing) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else if (!selfClosing) stack.push(name);
  }
  expect(xml.slice(end).trim()).toBe('');
  expect(stack).toEqual([]);
}

const dates = ['2023-01-03', '2023-01-04', '2023-01-05', '2023-01-06', '2023-01-09', '2023-01-10'];
const forecast = {
  dates,
  actual: Float64Array.from([89.7, 88.71, 86.77, 88.16, 88.8, 89.24]),
  predicted: Float64Array.from([89.1, 89.6, 88.9, 86.9, 88.2, 88.7]),
  title: 'GOOG <test> & "friends"',
};
const epochs = [
  { epoch: 1, loss: 0.9, valLoss: 1.1 },
  { epoch: 2, loss: 0.5, valLoss: 0.7 },
  { epoch: 3, loss: 0.41, valLoss: 0.72 },
];

/** The points of the path drawn for series `name`. */
function pathPoints(svg: string, name: string): number {
  const path = svg.match(new RegExp(`<path d="([^"]*)"[^>]*data-series="${name}"`));
  return path?.[1]?.match(/[ML]/g)?.length ?? 0;
}

describe('SVG charts', () => {
  const charts = {
    actualVsPredicted: () => actualVsPredictedSvg(forecast),
    residuals: () => residualsSvg(forecast),
    learningCurves: () => learningCurvesSvg({ epochs }),
  };

  it.each(Object.entries(charts))(
    '%s is byte-for-byte deterministic and well-formed',
    (_, draw) => {
      const svg = draw();
      expect(draw()).toBe(svg);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expectWellFormedXml(svg);
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    },
  );

  it('draws both series with every point, dated ticks and an escaped title', () => {
    const svg = actualVsPredictedSvg(forecast);
    expect(pathPoints(svg, 'actual')).toBe(6);
    expect(pathPoints(svg, 'predicted')).toBe(6);
    expect(svg).toContain('>2023-01-03<');
    expect(svg).toContain('GOOG &lt;test&gt; &amp; &quot;friends&quot;');
  });

  it('draws residuals around a zero line', () => {
    const svg = residualsSvg(forecast);
    expect(pathPoints(svg, 'residual')).toBe(6);
    expect(svg).toContain('stroke-dasharray="4 3"');
    expect(svg.match(/<circle /g)).toHaveLength(6);
  });

  it('draws loss and val_loss per epoch, skipping missing validation points', () => {
    const svg = learningCurvesSvg({ epochs });
    expect(pathPoints(svg, 'loss')).toBe(3);
    expect(pathPoints(svg, 'val_loss')).toBe(3);
    const gap = learningCurvesSvg({ epochs: [{ epoch: 1, loss: 1 }, ...epochs.slice(1)] });
    expect(pathPoints(gap, 'val_loss')).toBe(2);
    expect(learningCurvesSvg({ epochs: [{ epoch: 1, loss: 1 }] })).not.toContain('val_loss');
  });

  it('rejects mismatched lengths', () => {
    expect(() => actualVsPredictedSvg({ ...forecast, dates: dates.slice(1) })).toThrow(
      /5 dates, 6 actual/,
    );
    expect(() => learningCurvesSvg({ epochs: [] })).toThrow(/no epochs/);
  });
});

describe('niceTicks', () => {
  it('picks round steps and widens the domain to whole steps', () => {
    expect(niceTicks(86.77, 89.7, 6)).toMatchObject({ step: 0.5, niceMin: 86.5, niceMax: 90 });
    expect(niceTicks(0, 251, 6, true).ticks).toEqual([0, 50, 100, 150, 200, 250]);
    expect(niceTicks(1, 2, 6, true).ticks).toEqual([1, 2]);
    expect(niceTicks(3, 3).ticks.length).toBeGreaterThan(0);
  });
});
