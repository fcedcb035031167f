import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCode, gitFixture, type GitFixture } from '../../testing/index.js';
import { lockText } from './lock-fixture.js';
import { plotsDiff } from './plots-diff.js';

const LOCK = lockText({
  evaluate: {
    outs: [
      { path: 'plots/loss.csv', kind: 'plot' },
      { path: 'plots/residuals.svg', kind: 'plot' },
      { path: 'metrics.json', kind: 'metric' },
    ],
  },
});
const EVIL_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="4" height="4"/></svg>';

/** The `<svg>` elements of a page, and the series `<path>`s of each. */
function charts(html: string): { title: string; series: string[] }[] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map(([svg]) => ({
    title: /<title>([\s\S]*?)<\/title>/.exec(svg)?.[1] ?? '',
    series: [...svg.matchAll(/<path [^>]*data-series="([^"]*)"/g)].map((m) => m[1] ?? ''),
  }));
}

describe('plotsDiff', () => {
  let repo: GitFixture;
  afterEach(() => repo.dispose());

  async function committed(): Promise<void> {
    repo = await gitFixture({
      committed: {
        'mlops.lock': LOCK,
        'plots/loss.csv': 'step,loss\n0,1.0\n1,0.5\n2,0.25\n',
        'plots/residuals.svg': EVIL_SVG,
      },
    });
  }

  it('overlays HEAD and the workspace in one chart per plot, one path per revision', async () => {
    await committed();
    await repo.write({ 'plots/loss.csv': 'step,loss\n0,0.9\n1,0.4\n2,0.2\n3,0.1\n' });
    const result = await plotsDiff({ root: repo.root, out: 'out/plots.html' });
    expect(result.out).toBe(join(repo.root, 'out/plots.html'));
    expect(result.revisions.map((r) => r.rev)).toEqual(['HEAD', 'workspace']);
    expect(result.plots).toEqual([
      {
        path: 'plots/loss.csv',
        kind: 'data',
        x: 'step',
        y: ['loss'],
        shown: ['HEAD', 'workspace'],
        missing: [],
        problems: [],
      },
      {
        path: 'plots/residuals.svg',
        kind: 'image',
        x: null,
        y: [],
        shown: ['HEAD', 'workspace'],
        missing: [],
        problems: [],
      },
    ]);
    const html = await readFile(result.out, 'utf8');
    expect(charts(html)).toEqual([{ title: 'plots/loss.csv', series: ['HEAD', 'workspace'] }]);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\bsrc="(?!data:)/);
    expect(html.match(/<img [^>]*src="data:image\/svg\+xml;base64,/g)).toHaveLength(2);
  });

  it('escapes titles and labels taken from options and file contents', async () => {
    await committed();
    await repo.write({ 'plots/loss.csv': 'step,"<b>loss</b>"\n0,1\n1,2\n' });
    const result = await plotsDiff({
      root: repo.root,
      revs: ['workspace'],
      out: 'p.html',
      plots: [{ path: 'plots/loss.csv', options: { title: '<script>alert("x")</script>' } }],
    });
    const html = await readFile(result.out, 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;loss&lt;/b&gt;');
  });

  it('notes a plot file missing at a revision instead of failing', async () => {
    await committed();
    await repo.write({ 'plots/acc.json': JSON.stringify([{ epoch: 1, acc: 0.5, f1: 0.4 }]) });
    const result = await plotsDiff({
      root: repo.root,
      out: 'p.html',
      plots: [{ path: 'plots/acc.json' }],
    });
    expect(result.plots[0]).toMatchObject({
      kind: 'data',
      x: 'epoch',
      y: ['acc', 'f1'],
      shown: ['workspace'],
      missing: ['HEAD'],
    });
    const html = await readFile(result.out, 'utf8');
    expect(html).toContain('Not present at HEAD.');
    expect(charts(html)).toEqual([
      { title: 'plots/acc.json: acc', series: ['workspace'] },
      { title: 'plots/acc.json: f1', series: ['workspace'] },
    ]);
  });

  it('overlays several commits with distinct colours and notes unreadable files', async () => {
    await committed();
    await repo.write({ 'plots/loss.csv': 'step,loss\n0,2\n1,1\n' });
    repo.commit('v2');
    await repo.write({ 'plots/loss.csv': 'step;loss\n' });
    const result = await plotsDiff({
      root: repo.root,
      revs: ['HEAD~1', 'HEAD', 'workspace'],
      out: 'p.html',
      plots: [{ path: 'plots/loss.csv', options: { y: ['loss'] } }],
    });
    expect(result.plots[0]?.problems).toEqual([
      {
        rev: 'workspace',
        message: "plots/loss.csv has no column 'step' (its columns: 'step;loss')",
      },
      {
        rev: 'workspace',
        message: "plots/loss.csv has no column 'loss' (its columns: 'step;loss')",
      },
    ]);
    const html = await readFile(result.out, 'utf8');
    expect(charts(html)).toEqual([{ title: 'plots/loss.csv', series: ['HEAD~1', 'HEAD'] }]);
    const colours = [...html.matchAll(/<path [^>]*stroke="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(colours).size).toBe(2);
  });

  it('draws dates on a time axis and uses the first column when there is no step', async () => {
    repo = await gitFixture();
    await repo.write({
      'a.tsv': 'Date\tactual\tpredicted\n2024-01-01\t1\t1.5\n2024-03-01\t2\t2.5\n',
      'b.csv': 'horizon,rmse\n1,0.5\n5,1.5\n',
    });
    const result = await plotsDiff({
      root: repo.root,
      revs: ['workspace'],
      out: 'p.html',
      plots: [{ path: 'a.tsv' }, { path: 'b.csv' }],
    });
    expect(result.plots.map((p) => [p.x, p.y])).toEqual([
      ['Date', ['actual', 'predicted']],
      ['horizon', ['rmse']],
    ]);
    expect(await readFile(result.out, 'utf8')).toContain('>2024-01-');
  });

  it('names an unknown revision', async () => {
    await committed();
    const err = await expectCode(
      plotsDiff({ root: repo.root, revs: ['nope'], out: 'p.html' }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(err.message).toContain("'nope'");
  });
});
