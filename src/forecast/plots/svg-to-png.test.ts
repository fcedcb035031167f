import { describe, expect, it } from 'vitest';
import { learningCurvesSvg } from './learning-curves-svg.js';
import { svgToPng } from './svg-to-png.js';

describe('svgToPng', () => {
  it('renders a PNG when @resvg/resvg-js is installed, else says why not', async () => {
    const svg = learningCurvesSvg({
      epochs: [
        { epoch: 1, loss: 1 },
        { epoch: 2, loss: 0.5 },
      ],
    });
    const result = await svgToPng(svg, { width: 400 });
    if (result.png) {
      expect(Array.from(result.png.slice(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]); // \x89PNG
      expect((await svgToPng(svg, { width: 400 })).png).toEqual(result.png);
    } else {
      expect(result.note).toMatch(/@resvg\/resvg-js is not installed/);
    }
  });
});
