// #/batches — scheduled batches from schedule.toml: schedule, next run, the last run's summary; run and stop.
import { h, fill, api, chip, empty, timeEl, fmtUsd } from './util.js';
import { cmd, actionButton } from './bus.js';

export async function mountBatches(root, ctx) {
  const box = h('section', { class: 'card' });
  root.append(h('h1', null, 'Batches'), box);
  async function render() {
    const batches = (await api('/api/batches')) || [];
    if (!ctx || ctx.alive) fill(box, batches.length ? table(batches) : empty('No scheduled batches (schedule.toml).'));
  }
  await render();
  if (ctx) {
    // A batch starting or finishing is the only thing that changes this page.
    ctx.on('orch.batch.evt.started', render);
    ctx.on('orch.batch.evt.finished', render);
  }
}

function table(batches) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('thead', null, h('tr', null, ['Name', 'Schedule', 'Tasks', 'Module', 'Next run', 'State', 'Last run', '']
      .map((c) => h('th', null, c)))),
    h('tbody', null, batches.map((b) => h('tr', { 'data-batch': b.name, 'data-running': String(!!b.running) },
      h('td', null, h('strong', null, b.name)),
      h('td', null, h('code', null, b.cron || '')),
      h('td', null, String(b.max_tasks ?? '')),
      h('td', null, b.module || h('span', { class: 'muted' }, 'all')),
      h('td', null, b.next_run_at ? [timeEl(b.next_run_at), h('span', { class: 'muted' }, ' · '),
        timeEl(b.next_run_at, true)] : h('span', { class: 'muted' }, 'never')),
      h('td', null, b.running ? chip('running') : h('span', { class: 'muted' }, 'idle')),
      h('td', null, summary(b.last_summary)),
      h('td', null, b.running
        ? actionButton('Stop', 'stop-batch', () => cmd.stopBatch(b.name))
        : actionButton('Run now', 'run-batch', () => cmd.runBatch(b.name))))))));
}

function summary(s) {
  if (!s) return h('span', { class: 'muted' }, 'not run yet');
  return h('span', null, `${s.done} done, ${s.failed} failed, ${s.flagged} for review · ${fmtUsd(s.spend_usd)}`,
    h('br'), h('span', { class: 'muted' }, s.reason || ''),
    s.parked_text ? [h('br'), h('span', { class: 'muted' }, s.parked_text)] : []);
}
