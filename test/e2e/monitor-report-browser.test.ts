import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildMonitorReport,
  computeDataDrift,
  computeDataQuality,
  computeRegressionPerformance,
  writeReportFiles,
  type MonitorDataset,
  type MonitorReport,
  type ScoredPrediction,
} from '../../src/monitoring/index.js';

// The HTML report of a realistic monitoring run (the real drift, quality and performance
// engines on generated forecasting features) in a real browser: no console or page errors,
// every chart drawn, no request leaving the page, hostile column names kept as text, and a
// full-page screenshot to look at (also copied to MLOPS_SCREENSHOT_DIR when set).

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const DAY = 86_400_000;

// In-page expressions are strings: this project compiles without the DOM library.
/** Set by the page script once every chart is drawn (to the number drawn). */
const CHARTS_DRAWN = 'document.documentElement.dataset.charts';
/** Each chart container's kind and the size of the canvas ECharts drew into it. */
const CHART_SIZES = `[...document.querySelectorAll('[data-chart]')].map((el) => {
  const box = el.querySelector('canvas')?.getBoundingClientRect();
  return { chart: el.dataset.chart, width: box?.width ?? 0, height: box?.height ?? 0 };
})`;
/** What an injected script would set. */
const OWNED = 'window.__owned';

/** Deterministic normal samples (mulberry32 + Box-Muller). */
function normals(seed: number, n: number, mean: number, std: number): Float64Array {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float64Array.from({ length: n }, () => {
    const u = Math.max(uniform(), 1e-12);
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  });
}

/**
 * Forecasting features of a reference period and of a later window in which prices are higher
 * and volatility three times larger; `volume_change` is missing from the window.
 */
function features(rename: Record<string, string>): {
  reference: MonitorDataset;
  current: MonitorDataset;
} {
  const weekdays = (n: number, offset: number): string[] =>
    Array.from({ length: n }, (_, i) => ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'][(i + offset) % 5]!);
  const named = (columns: MonitorDataset['columns']): MonitorDataset['columns'] =>
    Object.fromEntries(Object.entries(columns).map(([k, v]) => [rename[k] ?? k, v]));
  const n = 1254;
  const m = 60;
  return {
    reference: {
      rows: n,
      columns: named({
        last_close: normals(1, n, 118, 32),
        last_log_return: normals(3, n, 0.0008, 0.018),
        return_5d: normals(5, n, 0.004, 0.04),
        volatility_20d: normals(7, n, 0.017, 0.005),
        mean_log_return: normals(9, n, 0.0007, 0.004),
        weekday: weekdays(n, 0),
        volume_change: normals(11, n, 0, 0.3),
      }),
    },
    current: {
      rows: m,
      columns: named({
        last_close: normals(2, m, 171, 6),
        last_log_return: normals(4, m, 0.0011, 0.021),
        return_5d: normals(6, m, -0.012, 0.071),
        volatility_20d: normals(8, m, 0.049, 0.009),
        mean_log_return: normals(10, m, 0.0009, 0.005),
        weekday: weekdays(m, 2),
      }),
    },
  };
}

/** Served predictions with their actual closes and the persistence baseline, one a day. */
function feedback(): ScoredPrediction[] {
  const start = Date.UTC(2026, 8, 1);
  const actual = normals(20, 60, 0, 1);
  const noise = normals(21, 60, 0, 1);
  let close = 165;
  return Array.from({ length: 60 }, (_, i) => {
    const previous = close;
    close += 2 * actual[i]!;
    return {
      timestamp: start + i * DAY,
      label: new Date(start + i * DAY).toISOString().slice(0, 10),
      predicted: previous + (1.5 + i / 30) * noise[i]!,
      actual: close,
      baseline: previous,
    };
  });
}

async function realisticReport(
  options: { full: boolean; rename?: Record<string, string> } = { full: true },
): Promise<MonitorReport> {
  const { reference, current } = features(options.rename ?? {});
  const dataDrift = await computeDataDrift(reference, current, { workers: 0 });
  const source = {
    reference: {
      uri: 'models:/goog-lstm@champion',
      rows: reference.rows,
      from: Date.UTC(2021, 0, 4),
      to: Date.UTC(2025, 11, 31),
      description: 'feature rows and holdout predictions stored in the model package',
    },
    current: {
      uri: 'inference-log',
      rows: current.rows,
      from: Date.UTC(2026, 8, 1),
      to: Date.UTC(2026, 10, 26),
      description: 'requests served by version 3',
    },
  };
  const notes = [
    'Price-level columns (last_close, prediction) drift as prices move: the window trades above the reference range.',
  ];
  if (!options.full)
    return buildMonitorReport({ title: 'goog-lstm: drift only', ...source, dataDrift, notes });
  const prediction = await computeDataDrift(
    { rows: 250, columns: { prediction: normals(12, 250, 139, 9) } },
    { rows: 60, columns: { prediction: normals(13, 60, 172, 7) } },
    { workers: 0 },
  );
  return buildMonitorReport({
    title: 'goog-lstm: served requests vs the registered reference',
    model: { name: 'goog-lstm', version: '3' },
    ...source,
    dataDrift,
    predictionDrift: prediction.columns[0],
    dataQuality: computeDataQuality(reference, current, {
      contract: () => [
        {
          rule: 'no_gaps',
          severity: 'warning',
          message: '3 trading days missing',
          where: '2026-10-09..2026-10-15',
        },
      ],
    }),
    performance: computeRegressionPerformance(feedback(), {
      window: { ms: 7 * DAY },
      registered: { mae: 1.4, rmse: 1.8, mape: 0.0085, skill: 0.05 },
    }),
    notes,
    generatedAt: '2026-11-27T09:30:00.000Z',
  });
}

interface Opened {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

const HAVE_CHROMIUM = existsSync(CHROMIUM);
// CI installs Chromium and sets this, so there the test fails rather than skips without it.
if (!HAVE_CHROMIUM && process.env.MLOPS_REQUIRE_CHROMIUM === '1') {
  throw new Error(
    `${CHROMIUM} is missing but MLOPS_REQUIRE_CHROMIUM=1: apt-get install -y chromium`,
  );
}

describe.skipIf(!HAVE_CHROMIUM)(
  HAVE_CHROMIUM
    ? 'HTML monitor report in Chromium'
    : `HTML monitor report in Chromium (skipped: ${CHROMIUM} is not installed)`,
  () => {
    let dir: string;
    let context: BrowserContext;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'mlops-report-browser-'));
      context = await chromium.launchPersistentContext(join(dir, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
        viewport: { width: 1360, height: 900 },
        deviceScaleFactor: 1,
      });
    });

    afterAll(async () => {
      await context?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** Opens a report file, recording console errors, page errors and every request made. */
    async function open(file: string): Promise<Opened> {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') {
          errors.push(`console ${m.type()}: ${m.text()}`);
        }
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.waitForFunction(CHARTS_DRAWN);
      return { page, errors, requests };
    }

    /** Every chart container holds a canvas with a drawn (non-zero) size. */
    async function chartSizes(
      page: Page,
    ): Promise<{ chart: string; width: number; height: number }[]> {
      return page.evaluate<{ chart: string; width: number; height: number }[]>(CHART_SIZES);
    }

    /** The charts the page should draw for `report`. */
    function expectedCharts(report: MonitorReport): string[] {
      const drawn = report.dataDrift.columns
        .filter((c) => c.distribution)
        .map(() => 'distribution');
      return [
        ...(report.dataDrift.testedColumns > 0 ? ['drift-scores'] : []),
        ...drawn,
        ...(report.predictionDrift?.distribution ? ['prediction'] : []),
        ...(report.performance && report.performance.windows.length > 0 ? ['performance'] : []),
      ].sort();
    }

    it('renders a full report with every chart, no errors and no network', async () => {
      const report = await realisticReport();
      // What the engines said, so the page has every part to show.
      expect(report.dataDrift.datasetDrift).toBe(true);
      expect(report.dataDrift.columns.find((c) => c.column === 'volume_change')?.status).toBe(
        'error',
      );
      expect(report.performance?.windows.length).toBeGreaterThan(1);

      const { html } = await writeReportFiles({ report, html: join(dir, 'report.html') });
      const { page, errors, requests } = await open(html!);

      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(html!).href]);
      const sizes = await chartSizes(page);
      expect(sizes.map((s) => s.chart).sort()).toEqual(expectedCharts(report));
      expect(sizes.length).toBe(1 + 6 + 1 + 1);
      for (const s of sizes) {
        expect(s.width, `${s.chart} width`).toBeGreaterThan(100);
        expect(s.height, `${s.chart} height`).toBeGreaterThan(100);
      }
      expect(await page.evaluate(CHARTS_DRAWN)).toBe(String(sizes.length));

      // What a reader sees first.
      const text = await page.innerText('body');
      expect(text).toContain('models:/goog-lstm@champion');
      expect(text).toContain('Price-level columns (last_close, prediction) drift as prices move');
      expect(text).toContain('volume_change');
      expect(await page.locator('.stat').count()).toBeGreaterThanOrEqual(6);

      const screenshot = join(dir, 'monitor-report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(existsSync(screenshot)).toBe(true);
      const keep = process.env.MLOPS_SCREENSHOT_DIR;
      if (keep) {
        await mkdir(keep, { recursive: true });
        await copyFile(screenshot, join(keep, 'monitor-report.png'));
      }
      await page.close();
    });

    it('renders a drift-only report, keeping a hostile column name as text', async () => {
      const hostile =
        '</script><script>window.__owned = 1</script><img src=x onerror="window.__owned=2">';
      const report = await realisticReport({ full: false, rename: { return_5d: hostile } });
      const { html } = await writeReportFiles({ report, html: join(dir, 'partial.html') });
      const { page, errors, requests } = await open(html!);

      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(html!).href]);
      expect(await page.evaluate(OWNED)).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      // In the drift table and the distribution card, and in the missing column's problem,
      // which lists the current columns.
      expect(await page.locator('.col-name', { hasText: hostile }).count()).toBeGreaterThanOrEqual(
        1,
      );
      expect(await page.locator('.dist-name', { hasText: hostile }).count()).toBe(1);
      expect(await page.innerText('#performance')).toContain('No feedback yet');
      expect(await page.locator('#prediction-drift').count()).toBe(0);
      expect(await page.locator('#data-quality').count()).toBe(0);

      const sizes = await chartSizes(page);
      expect(sizes.map((s) => s.chart).sort()).toEqual(expectedCharts(report));
      for (const s of sizes) expect(s.width).toBeGreaterThan(100);

      // The renamed column's tooltip (HTML in ECharts) shows the name as text, not markup.
      const index = report.dataDrift.columns
        .filter((c) => c.status === 'ok')
        .findIndex((c) => c.column === hostile);
      expect(index).toBeGreaterThanOrEqual(0);
      await page.evaluate(
        `echarts.getInstanceByDom(document.querySelector('[data-chart="drift-scores"]'))
          .dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: ${index} })`,
      );
      const tooltip = page
        .locator('[data-chart="drift-scores"] > div')
        .filter({ hasText: hostile });
      await tooltip.first().waitFor({ state: 'visible' });
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate(OWNED)).toBeUndefined();
      expect(errors).toEqual([]);
      await page.close();
    });
  },
);
