import { describe, expect, it } from 'vitest';
import { actualVsPredictedSvg } from './actual-vs-predicted-svg.js';
import { htmlReport } from './html-report.js';
import { learningCurvesSvg } from './learning-curves-svg.js';

const chart = actualVsPredictedSvg({
  dates: ['2023-01-03', '2023-01-04', '2023-01-05'],
  actual: [1, 2, 3],
  predicted: [1.5, 2.5, 2],
  title: 'test',
});
const curves = learningCurvesSvg({ epochs: [{ epoch: 1, loss: 2, valLoss: 3 }] });
const input = {
  title: 'Forecast <report>',
  sections: [
    { heading: 'Predictions', svg: chart, text: 'One step ahead & true history.' },
    { heading: 'Learning', svg: `<?xml version="1.0"?>\n${curves}` },
    {
      heading: 'Metrics',
      table: {
        columns: ['model', 'rmse', 'skill', 'n'],
        rows: [
          ['persistence', 2.652413657, 0, 252],
          ['lstm', 2.6561234567, -0.0014, 252],
          ['noise', Number.NaN, -0.4, 252],
        ],
      },
    },
  ],
};

describe('htmlReport', () => {
  const html = htmlReport(input);

  it('is byte-for-byte deterministic', () => {
    expect(htmlReport(input)).toBe(html);
  });

  it('inlines the SVGs (without an XML prolog) and escapes text', () => {
    expect(html).toContain(chart.trimEnd());
    expect(html).toContain(curves.trimEnd());
    expect(html).not.toContain('<?xml');
    expect(html).toContain('<h1>Forecast &lt;report&gt;</h1>');
    expect(html).toContain('One step ahead &amp; true history.');
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  it('formats table numbers with fixed rules', () => {
    expect(html).toContain('<td class="num">2.65241</td>');
    expect(html).toContain('<td class="num">-0.0014</td>');
    expect(html).toContain('<td class="num">NaN</td>');
    expect(html).toContain('<td class="num">252</td>');
  });

  it('needs no external asset and no script', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
    // The only URL is the SVG namespace name, which is an identifier, not a fetch.
    const urls = html.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
  });
});
