/**
 * The page's own script: reads the report from its JSON block and draws the charts with ECharts
 * (inlined before it). Plain browser JavaScript in a string, no build step. Every string that
 * reaches a tooltip (HTML in ECharts) goes through `esc`; axis labels are drawn on canvas.
 */
export const PAGE_SCRIPT = String.raw`
(() => {
  'use strict';
  const report = JSON.parse(document.getElementById('report-data').textContent);
  const C = { ref: '#8e9bb0', cur: '#2563eb', bad: '#d64545', good: '#2f9e73', ink: '#4a5568',
    muted: '#7a8599', line: '#e3e8ef', mae: '#2563eb', rmse: '#7c3aed' };
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
  const num = (v) => {
    if (v === null || v === undefined || Number.isNaN(v)) return '—';
    if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
    if (v !== 0 && Math.abs(v) < 1e-4) return v.toExponential(1);
    return Number(v.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 8 });
  };
  /** Axis labels: 3 significant digits. */
  const short = (v) => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3))));
  const pct = (v) => (v * 100).toFixed(v * 100 < 10 ? 1 : 0) + '%';
  const line = (marker, label, value) =>
    '<div style="display:flex;justify-content:space-between;gap:16px">' +
    '<span>' + marker + esc(label) + '</span><b>' + esc(value) + '</b></div>';

  const base = () => ({
    animation: false,
    textStyle: { fontFamily: FONT, color: C.ink },
    tooltip: { confine: true, backgroundColor: '#fff', borderColor: C.line,
      textStyle: { color: '#1b2333', fontSize: 12 }, extraCssText: 'box-shadow:0 4px 14px rgba(16,24,40,.12);' },
  });
  const axisLabel = { color: C.muted, fontSize: 11 };
  const splitLine = { lineStyle: { color: '#eef1f5' } };

  /** Reference vs current shares per bin or category, as grouped bars. */
  function distributionOption(d) {
    const labels = d.type === 'histogram'
      ? d.reference.map((_, i) => short((d.edges[i] + d.edges[i + 1]) / 2))
      : d.categories.map(String);
    const ranges = d.type === 'histogram'
      ? d.reference.map((_, i) => num(d.edges[i]) + ' – ' + num(d.edges[i + 1]))
      : labels;
    const bar = (name, data, color) => ({ name, type: 'bar', data, barGap: '8%', barCategoryGap: '22%',
      itemStyle: { color, borderRadius: [2, 2, 0, 0] } });
    return Object.assign(base(), {
      grid: { left: 44, right: 10, top: 30, bottom: 26 },
      legend: { top: 0, right: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11, color: C.muted } },
      tooltip: Object.assign(base().tooltip, { trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: (ps) => '<div style="margin-bottom:4px;color:#7a8599">' + esc(ranges[ps[0].dataIndex]) + '</div>' +
          ps.map((p) => line(p.marker, p.seriesName, pct(p.value))).join('') }),
      xAxis: { type: 'category', data: labels, axisLabel: Object.assign({ hideOverlap: true }, axisLabel),
        axisTick: { alignWithLabel: true }, axisLine: { lineStyle: { color: C.line } } },
      yAxis: { type: 'value', axisLabel: Object.assign({ formatter: (v) => Math.round(v * 100) + '%' }, axisLabel),
        splitLine },
      series: [bar('reference', d.reference, C.ref), bar('current', d.current, C.cur)],
    });
  }

  /** How far past its threshold each score is; 1 is the threshold whatever the test. */
  function ratio(c) {
    let r;
    if (c.scoreKind === 'p_value') {
      r = c.threshold > 0 && c.threshold < 1 ? Math.log(Math.max(c.score, 1e-300)) / Math.log(c.threshold) : NaN;
    } else {
      r = c.threshold > 0 ? c.score / c.threshold : (c.score > 0 ? Infinity : 0);
    }
    return Math.min(Math.max(Number.isFinite(r) ? r : (r > 0 ? 1e4 : 1e-3), 1e-3), 1e4);
  }

  function driftScoresOption(columns) {
    const tested = columns.filter((c) => c.status === 'ok');
    const ratios = tested.map(ratio);
    const lo = Math.pow(10, Math.floor(Math.log10(Math.min(0.5, ...ratios))));
    const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(2, ...ratios))));
    const label = (c) => (c.scoreKind === 'p_value' ? 'p = ' : '') + num(c.score);
    return Object.assign(base(), {
      grid: { left: 12, right: 90, top: 26, bottom: 24, containLabel: true },
      tooltip: Object.assign(base().tooltip, { trigger: 'item',
        formatter: (p) => {
          const c = tested[p.dataIndex];
          return '<div style="font-weight:600;margin-bottom:4px">' + esc(c.column) + '</div>' +
            line('', 'test', c.test + (c.scoreKind === 'p_value' ? ' (p-value)' : ' (distance)')) +
            line('', 'score', num(c.score)) + line('', 'threshold', num(c.threshold)) +
            line('', 'result', c.drifted ? 'drift' : 'no drift');
        } }),
      xAxis: { type: 'log', min: lo, max: hi, axisLabel: Object.assign({ formatter: (v) => num(v) + '×' }, axisLabel),
        splitLine, name: 'score ÷ threshold', nameLocation: 'middle', nameGap: 24,
        nameTextStyle: { color: C.muted, fontSize: 11 } },
      yAxis: { type: 'category', inverse: true, data: tested.map((c) => c.column),
        axisLabel: { color: '#1b2333', fontSize: 12, width: 180, overflow: 'truncate' },
        axisTick: { show: false }, axisLine: { lineStyle: { color: C.line } } },
      series: [{
        type: 'bar', barMaxWidth: 18,
        // Bars grow from the threshold: right of it for drift, left of it (label outside) otherwise.
        data: tested.map((c, i) => ({ value: ratios[i],
          itemStyle: { color: c.drifted ? C.bad : C.good, borderRadius: ratios[i] >= 1 ? [0, 3, 3, 0] : [3, 0, 0, 3] },
          label: { position: ratios[i] >= 1 ? 'right' : 'left' } })),
        label: { show: true, position: 'right', color: C.ink, fontSize: 11,
          formatter: (p) => label(tested[p.dataIndex]) },
        markLine: { symbol: 'none', silent: true, lineStyle: { color: '#1b2333', type: 'dashed', width: 1 },
          label: { formatter: 'threshold', position: 'start', color: C.ink, fontSize: 11 }, data: [{ xAxis: 1 }] },
      }],
    });
  }

  /** MAE and RMSE per window, with the registered scores as dashed reference lines. */
  function performanceOption(p) {
    const day = (ms) => new Date(ms).toISOString().slice(0, 10);
    const labels = p.windows.map((w) => w.endLabel || day(w.end));
    const registered = p.registered || {};
    const series = (name, key, color) => ({
      name, type: 'line', data: p.windows.map((w) => w[key]), symbol: 'circle', symbolSize: 6,
      lineStyle: { width: 2.5, color }, itemStyle: { color },
      markLine: typeof registered[key] === 'number' ? { symbol: 'none', silent: true,
        lineStyle: { color, type: 'dashed', width: 1.5, opacity: 0.8 },
        label: { formatter: 'registered ' + name + ' ' + num(registered[key]), position: 'insideEndTop',
          color, fontSize: 11 },
        data: [{ yAxis: registered[key] }] } : undefined,
    });
    return Object.assign(base(), {
      grid: { left: 50, right: 24, top: 40, bottom: 30 },
      legend: { top: 0, left: 0, textStyle: { color: C.ink } },
      tooltip: Object.assign(base().tooltip, { trigger: 'axis',
        formatter: (ps) => {
          const w = p.windows[ps[0].dataIndex];
          return '<div style="margin-bottom:4px;color:#7a8599">' + esc((w.startLabel || day(w.start)) + ' → ' + (w.endLabel || day(w.end))) + '</div>' +
            ps.map((x) => line(x.marker, x.seriesName, num(x.value))).join('') +
            line('', 'skill', num(w.skill)) + line('', 'rows', String(w.count));
        } }),
      xAxis: { type: 'category', data: labels, boundaryGap: false, axisLabel,
        axisLine: { lineStyle: { color: C.line } } },
      yAxis: { type: 'value', min: 0, axisLabel, splitLine },
      series: [series('MAE', 'mae', C.mae), series('RMSE', 'rmse', C.rmse)],
    });
  }

  const charts = [];
  function draw(el) {
    const kind = el.dataset.chart;
    let option;
    if (kind === 'drift-scores') option = driftScoresOption(report.dataDrift.columns);
    else if (kind === 'distribution') option = distributionOption(report.dataDrift.columns[Number(el.dataset.column)].distribution);
    else if (kind === 'prediction') option = distributionOption(report.predictionDrift.distribution);
    else if (kind === 'performance') option = performanceOption(report.performance);
    else throw new Error('unknown chart ' + kind);
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(option);
    charts.push(chart);
  }

  const targets = document.querySelectorAll('[data-chart]');
  for (const el of targets) {
    if (typeof echarts === 'undefined') {
      el.innerHTML = '<div class="chart-fallback">Charts could not be drawn: the charting library did not load.</div>';
      continue;
    }
    try {
      draw(el);
    } catch (err) {
      el.innerHTML = '<div class="chart-fallback">This chart could not be drawn.</div>';
      console.error('mlops report: chart ' + el.dataset.chart + ' failed', err);
    }
  }
  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
  document.documentElement.dataset.charts = String(charts.length);
})();
`;
