// #/batches — scheduled batches (name, cron, next run); the API answers [] until any exist.
import { h, fill, api, chip, empty, timeEl, label } from './util.js';

const KNOWN = ['name', 'cron', 'next_run_at', 'running'];

export async function mountBatches(root) {
  const box = h('section', { class: 'card' });
  root.append(h('h1', null, 'Batches'), box);
  const batches = (await api('/api/batches')) || [];
  if (!batches.length) {
    fill(box, empty('No scheduled batches.'));
    return;
  }
  // Show whatever else the server sends too (last run, task lists…) without knowing it in advance.
  const extra = [...new Set(batches.flatMap((b) => Object.keys(b)))].filter((k) => !KNOWN.includes(k));
  fill(box, h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('thead', null, h('tr', null, ['Name', 'Schedule', 'Next run', 'State', ...extra.map(label)]
      .map((c) => h('th', null, c)))),
    h('tbody', null, batches.map((b) => h('tr', { 'data-batch': b.name },
      h('td', null, h('strong', null, b.name)),
      h('td', null, h('code', null, b.cron || '')),
      h('td', null, timeEl(b.next_run_at), b.next_run_at ? h('span', { class: 'muted' }, ' · ',
        timeEl(b.next_run_at, true)) : null),
      h('td', null, b.running ? chip('running') : h('span', { class: 'muted' }, 'idle')),
      extra.map((k) => h('td', null, show(k, b[k])))))))));
}

function show(key, value) {
  if (value == null) return '';
  if (key.endsWith('_at') && typeof value === 'number') return timeEl(value);
  if (typeof value === 'object') return h('code', null, JSON.stringify(value));
  return String(value);
}
