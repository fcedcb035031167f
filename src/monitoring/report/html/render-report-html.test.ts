import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MonitorReport } from '../report-types.js';
import { sampleMonitorReport } from '../report-fixture.js';
import { safeJsonText, safeScriptText } from './inline-script.js';
import { renderReportHtml } from './render-report-html.js';

const HOSTILE = '</script><script>alert(1)</script>';

/** The report's JSON as the page embeds it, read back. */
function embeddedReport(html: string): unknown {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!);
}

function withoutScripts(html: string): string {
  return html.replace(/<script[^>]*>[\s\S]*?<\/script>/gi, '');
}

/** The text of every `<script>` element, as the HTML parser would end them. */
function scripts(html: string): string[] {
  return [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script/gi)].map((m) => m[1]!);
}

describe('renderReportHtml', () => {
  it('keeps a column named like a closing script tag as text everywhere', () => {
    const report = sampleMonitorReport({ renameColumn: { from: 'return_5d', to: HOSTILE } });
    const html = renderReportHtml(report);

    // Exactly the page's three scripts: the data block, ECharts and the page script.
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html).not.toContain('alert(1)</script>');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // The data block holds the name \u-escaped and gives back the exact report.
    expect(html).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
    expect(embeddedReport(html)).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('escapes every other user string: title, model, sources, notes, problems, checks', () => {
    const base = sampleMonitorReport();
    const evil = '<img src=x onerror=alert(2)><!--';
    const report: MonitorReport = {
      ...base,
      title: evil,
      model: { name: evil, version: evil },
      reference: { ...base.reference, uri: evil, description: evil },
      notes: [evil],
      dataDrift: { ...base.dataDrift, problems: [evil] },
      checks: base.checks.map((c) => ({ ...c, name: evil, message: evil })),
    };
    const html = renderReportHtml(report);
    const markup = withoutScripts(html);
    expect(markup).not.toContain('<img');
    expect(markup).not.toContain('<!--');
    expect(html.split('&lt;img src=x onerror=alert(2)&gt;&lt;!--').length).toBeGreaterThan(8);
    expect(embeddedReport(html)).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('is self-contained: no external resource, and a CSP that allows only its own scripts', () => {
    const html = renderReportHtml(sampleMonitorReport());
    const markup = withoutScripts(html);
    expect(markup).not.toMatch(/\s(src|href)=/i);
    expect(markup).not.toMatch(/@import|url\(/i);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    const hashes = scripts(html)
      .slice(1) // the JSON block is data, never run
      .map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`);
    expect(hashes).toHaveLength(2);
    for (const hash of hashes) expect(csp).toContain(hash);
    // ECharts is inlined whole.
    expect(scripts(html)[1]!.length).toBeGreaterThan(500_000);
  });

  it('draws a chart container per distribution, the scores, the prediction and performance', () => {
    const html = renderReportHtml(sampleMonitorReport());
    const charts = [...html.matchAll(/data-chart="([a-z-]+)"/g)].map((m) => m[1]);
    expect(charts.filter((c) => c === 'distribution')).toHaveLength(6);
    expect(charts.filter((c) => c !== 'distribution').sort()).toEqual([
      'drift-scores',
      'performance',
      'prediction',
    ]);
  });

  it('omits absent sections or says what is missing, never failing', () => {
    const html = renderReportHtml({
      ...sampleMonitorReport({ withPerformance: false, withPrediction: false, withQuality: false }),
      checks: [],
      notes: [],
    });
    expect(html).toContain('No feedback yet');
    expect(html).toContain('No checks were run on this report.');
    expect(html).not.toContain('id="prediction-drift"');
    expect(html).not.toContain('id="data-quality"');
    expect(html).not.toContain('class="callout info"');
    expect(html).not.toContain('data-chart="performance"');
  });

  it('shows what quality and performance could not compute, and new labels with their count', () => {
    const base = sampleMonitorReport();
    const quality = base.dataQuality!;
    const html = renderReportHtml({
      ...base,
      dataQuality: {
        ...quality,
        columns: quality.columns.map((c) =>
          c.column === 'weekday'
            ? {
                ...c,
                newCategories: ['Sat', 'Sun'],
                newCategoryCount: 12,
                outOfListShare: 0.05,
                almostConstant: true,
              }
            : c,
        ),
        problems: ["column 'volume_change': no reference values"],
      },
      performance: { ...base.performance!, problems: ['MAPE is not defined: an actual is 0'] },
    });
    expect(html).toContain('column &#39;volume_change&#39;: no reference values');
    expect(html).toContain('MAPE is not defined: an actual is 0');
    expect(html).toContain('12 new labels · 5.0% of rows');
    expect(html).toContain('<code>Sat</code> <code>Sun</code> <span class="muted">+10 more</span>');
    expect(html).toContain('almost constant');
  });

  it('shows a report where nothing could be tested as not computed, with its problems', () => {
    const base = sampleMonitorReport();
    const html = renderReportHtml({
      ...base,
      dataDrift: {
        columns: base.dataDrift.columns.filter((c) => c.status === 'error'),
        testedColumns: 0,
        driftedColumns: 0,
        driftedShare: 0,
        driftShare: 0.5,
        datasetDrift: false,
        problems: ['the current window has no rows'],
      },
    });
    expect(html).toContain('Not computed');
    expect(html).toContain('the current window has no rows');
    expect(html).not.toContain('data-chart="drift-scores"');
    expect(html).not.toContain('data-chart="distribution"');
  });
});

describe('inline script and JSON escaping', () => {
  it('makes script text unable to close its element, without changing what it means', () => {
    const js = 'return ["</script>", "</SCRIPT >", "<!--", /<\\/script>/.source].join("|");';
    const safe = safeScriptText(js);
    expect(safe).not.toMatch(/<\/script/i);
    expect(safe).not.toContain('<!--');
    expect(new Function(safe)()).toBe(new Function(js)());
  });

  it('makes JSON inert in HTML and still the same JSON', () => {
    const value = { name: '</script><!-- & \u2028 >' };
    const text = safeJsonText(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
