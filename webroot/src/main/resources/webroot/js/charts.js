// The overview's small charts: tasks completed and dollars spent per interval over the last hours, drawn by uPlot
// (the WebJar org.webjars.npm:uplot) from GET /api/history, which reads the stores and so outlives a restart.
import uPlot from '../webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { h, fill, api, fmtUsd } from './util.js';

const HOURS = 6;
const BUCKET_MINUTES = 15;

const SERIES = [
  { key: 'completed', title: 'Tasks completed', unit: 'per 15 min', value: (v) => String(v ?? 0), stroke: '#2e7d32',
    fill: 'rgba(46, 125, 50, 0.25)' },
  { key: 'spend_usd', title: 'Spend', unit: 'USD per 15 min', value: (v) => fmtUsd(v ?? 0), stroke: '#1565c0',
    fill: 'rgba(21, 101, 192, 0.2)' },
];

/** Mounts the charts in `box`; returns a function that fetches the history again and redraws them. */
export function mountCharts(box, ctx) {
  const plots = new Map();
  ctx.cleanup(() => { for (const plot of plots.values()) plot.destroy(); plots.clear(); });
  const slots = SERIES.map((s) => h('div', { class: 'chart', 'data-chart': s.key }));
  fill(box, h('h2', null, 'Last ', HOURS, ' hours'), h('div', { class: 'charts' }, slots));

  return async () => {
    const data = await api(`/api/history?hours=${HOURS}&bucket_minutes=${BUCKET_MINUTES}`);
    if (!ctx.alive) return;
    const buckets = data.buckets || [];
    // Each bucket is a step from its start to the next one's; the last step ends where the window does.
    const xs = [...buckets.map((b) => b.at / 1000), data.until / 1000];
    SERIES.forEach((s, i) => {
      const ys = buckets.map((b) => b[s.key] ?? 0);
      const total = ys.reduce((a, b) => a + b, 0);
      ys.push(ys.length ? ys[ys.length - 1] : 0);
      const slot = slots[i];
      slot.dataset.points = String(buckets.length);
      slot.dataset.total = String(Math.round(total * 100) / 100);
      const existing = plots.get(s.key);
      if (existing) {
        existing.setData([xs, ys]);
        existing.root.querySelector('.u-title').textContent = `${s.title}: ${s.value(total)}`;
        return;
      }
      plots.set(s.key, new uPlot(options(s, slot, total), [xs, ys], slot));
    });
  };
}

function options(s, slot, total) {
  return {
    title: `${s.title}: ${s.value(total)}`,
    width: Math.max(240, slot.clientWidth || 320),
    height: 140,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { y: { range: (u, min, max) => [0, Math.max(max, s.key === 'completed' ? 1 : 0.01)] } },
    axes: [{}, { size: 50, values: (u, vals) => vals.map((v) => (s.key === 'spend_usd' ? fmtUsd(v) : v)) }],
    series: [{}, { label: `${s.title} (${s.unit})`, stroke: s.stroke, fill: s.fill, width: 1.5,
      paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } }],
  };
}
