// #/ — what orch is doing now, what it cost today, and what needs a person.
import { h, fill, api, coalesce, fmtUsd, fmtTokens, fmtDuration, chip, taskLink, empty, timeEl, label,
  TASK_STATUSES } from './util.js';
import { mountCharts } from './charts.js';

// Events after which the overview is fetched again (coalesced); agent output only refreshes token counts,
// so it asks for a slower refresh.
const REFRESH_ON = ['orch.scheduler.evt.synced', 'orch.executor.evt.started', 'orch.executor.evt.finished',
  'orch.observer.evt.stuck', 'orch.observer.evt.budget', 'orch.prbot.evt.opened', 'orch.prbot.evt.merged',
  'orch.prbot.evt.flagged', 'orch.prbot.evt.fixing', 'orch.prbot.evt.failed', 'orch.buildpool.evt.worker',
  'orch.buildpool.evt.job'];

export async function mountOverview(root, ctx) {
  const el = {
    counts: h('section', { class: 'card span-2' }),
    needs: h('section', { class: 'card span-2' }),
    spend: h('section', { class: 'card' }),
    runs: h('section', { class: 'card' }),
    charts: h('section', { class: 'card span-2' }),
    extra: h('div', { class: 'span-2 grid' }),
  };
  root.append(h('h1', null, 'Overview'),
    h('div', { class: 'grid ov' }, el.counts, el.runs, el.spend, el.needs, el.charts, el.extra));
  // Completions and spend land in the charts when a task changes or a run ends; a few seconds late is fine.
  const redraw = coalesce(mountCharts(el.charts, ctx), 5000);
  ctx.on('orch.scheduler.evt.task', () => redraw());
  ctx.on('orch.executor.evt.finished', () => redraw());
  ctx.cleanup(() => redraw.cancel());

  let skew = 0;   // server clock minus ours, so elapsed times match the server's
  const load = async () => {
    const data = await api('/api/overview');
    if (!ctx.alive) return;
    if (data.now) skew = data.now - Date.now();
    render(el, data);
    tick();
  };
  const refresh = coalesce(() => load(), 500);

  ctx.on('orch.scheduler.evt.task', (t) => { bump(el.counts, t); refresh(); });
  for (const address of REFRESH_ON) ctx.on(address, () => refresh());
  ctx.on('orch.executor.evt.output', () => refresh(3000));
  ctx.cleanup(() => refresh.cancel());

  // Elapsed times tick locally; nothing is fetched on a timer.
  const tick = () => {
    const now = Date.now() + skew;
    for (const span of root.querySelectorAll('[data-since]')) {
      span.textContent = fmtDuration(now - Number(span.dataset.since));
    }
  };
  ctx.interval(tick, 1000);
  await load();
  redraw();
}

function render(el, data) {
  renderCounts(el.counts, data.summary || {});
  renderNeeds(el.needs, data.needs_person || {});
  renderSpend(el.spend, data.spend || {});
  renderRuns(el.runs, data.runs || []);
  fill(el.extra, data.pool ? renderPool(data.pool) : null,
    (data.batches || []).length ? renderBatches(data.batches) : null);
}

function renderCounts(box, s) {
  const counts = s.counts || {};
  const tiles = TASK_STATUSES.map((status) => {
    const n = counts[status] || 0;
    return h('a', { class: `tile s-${status}${n ? '' : ' zero'}`, href: `#/tasks?status=${status}` },
      h('span', { class: 'num', 'data-count': status }, n), h('span', { class: 'tile-label' }, label(status)));
  });
  fill(box,
    h('h2', null, 'Tasks ', h('span', { class: 'muted' }, `${s.total ?? 0} in all · `,
      h('a', { href: '#/tasks?ready=true' }, `${s.ready ?? 0} ready`))),
    h('div', { class: 'tiles' }, tiles),
    (s.notices || []).map((n) => h('p', { class: 'notice' }, n)),
    (s.plan_errors || []).length ? h('details', { class: 'plan-errors' },
      h('summary', null, `${s.plan_errors.length} plan error(s)`),
      h('ul', null, s.plan_errors.map((p) => h('li', null, h('code', null, p.file + (p.line ? ':' + p.line : '')),
        ' ', p.task_id ? taskLink(p.task_id) : null, ' ', p.message)))) : null,
    (s.blocked || []).length ? h('details', { class: 'plan-errors' },
      h('summary', null, `${s.blocked.length} blocked`),
      h('ul', null, s.blocked.map((b) => h('li', null, taskLink(b.id), ' ', b.reason)))) : null,
    s.last_sync_at ? h('p', { class: 'small muted' }, 'plan read ', timeEl(s.last_sync_at, true)) : null);
}

/** Moves one task between the count tiles at once; the coalesced refresh then confirms the numbers. */
function bump(box, t) {
  const add = (status, d) => {
    const span = box.querySelector(`[data-count="${status}"]`);
    if (!span) return;
    const n = Math.max(0, Number(span.textContent) + d);
    span.textContent = n;
    span.parentElement.classList.toggle('zero', n === 0);
  };
  if (t.from && t.from !== t.to) add(t.from, -1);
  if (t.from !== t.to) add(t.to, +1);
}

function renderNeeds(box, needs) {
  const prs = needs.flagged_prs || [], failed = needs.failed || [], stuck = needs.stuck || [];
  const items = [
    ...prs.map((pr) => h('li', { class: 'need' }, chip('flagged'),
      h('a', { href: `#/prs?pr=${pr.number}` }, `#${pr.number} ${pr.title || pr.task_id}`),
      pr.reason ? h('div', { class: 'why' }, pr.reason) : null)),
    ...failed.map((t) => needTask(t)),
    ...stuck.map((t) => needTask(t)),
  ];
  fill(box, h('h2', null, 'Needs you', items.length ? h('span', { class: 'badge' }, items.length) : null),
    items.length ? h('ul', { class: 'needs' }, items) : empty('Nothing needs you right now.'));
}

function needTask(t) {
  return h('li', { class: 'need' }, chip(t.status), taskLink(t.id), ' ', h('span', null, t.title || ''),
    t.last_error || t.blocked_reason ? h('div', { class: 'why' }, t.last_error || t.blocked_reason) : null);
}

function renderSpend(box, s) {
  fill(box, h('h2', null, 'Spend'),
    h('div', { class: 'big' }, fmtUsd(s.today_usd), h('span', { class: 'muted small' }, ' today')),
    h('dl', { class: 'kv' },
      h('dt', null, 'in all'), h('dd', null, fmtUsd(s.total_usd)),
      h('dt', null, 'tokens in'), h('dd', null, fmtTokens(s.input_tokens)),
      h('dt', null, 'tokens out'), h('dd', null, fmtTokens(s.output_tokens))));
}

function renderRuns(box, runs) {
  fill(box, h('h2', null, 'Running agents ', h('span', { class: 'muted' }, runs.length)),
    runs.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['Task', 'Run', 'Status', 'Elapsed', 'Tokens in / out', 'Cost']
        .map((c) => h('th', null, c)))),
      h('tbody', null, runs.map((r) => h('tr', { 'data-run-id': r.run_id },
        h('td', null, taskLink(r.task_id)),
        h('td', null, h('a', { href: `#/run/${r.run_id}` }, `#${r.run_id}`),
          r.attempt > 1 ? h('span', { class: 'muted' }, ` try ${r.attempt}`) : null),
        h('td', null, chip(r.status)),
        h('td', { class: 'num' }, r.started_at ? h('span', { 'data-since': r.started_at }, '') : '—'),
        h('td', { class: 'num' }, `${fmtTokens(r.input_tokens)} / ${fmtTokens(r.output_tokens)}`),
        h('td', { class: 'num' }, fmtUsd(r.cost_usd)))))))
      : empty('No agent is running.'));
}

function renderPool(p) {
  const workers = p.workers || [];
  const alive = workers.filter((w) => w.alive).length;
  return h('section', { class: 'card' }, h('h2', null, h('a', { href: '#/pool' }, 'Build pool')),
    h('dl', { class: 'kv' },
      h('dt', null, 'workers'), h('dd', null, `${alive} alive of ${workers.length}`),
      h('dt', null, 'jobs'), h('dd', null, `${p.running_jobs} running, ${p.queued_jobs} queued`),
      p.local_fallback_active ? [h('dt', null, 'local'), h('dd', null, `fallback on, ${p.local_slots} slots`)] : null));
}

function renderBatches(batches) {
  return h('section', { class: 'card' }, h('h2', null, h('a', { href: '#/batches' }, 'Batches')),
    h('ul', { class: 'plain' }, batches.map((b) => h('li', null, h('strong', null, b.name), ' ',
      b.running ? chip('running') : h('span', { class: 'muted' }, 'next ', timeEl(b.next_run_at))))));
}
