// #/tasks (the filterable task table) and #/task/ID (one task with its runs and pull requests).
import { h, fill, api, coalesce, enc, chip, taskLink, empty, timeEl, fmtUsd, fmtTokens, fmtDuration, label,
  TASK_STATUSES } from './util.js';
import { taskActions, actionButton, cmd } from './bus.js';
import { prCard } from './prs.js';

// ---- the table ----------------------------------------------------------------------------------------------

// Columns a phone leaves out (opt: always on small screens; opt-m: module and priority too).
const COL_CLASS = [null, null, 'opt-m', null, 'opt-m', null, 'opt', 'opt', 'opt', null];

export async function mountTasks(root, ctx) {
  const q = ctx.query;
  const f = {
    text: h('input', { type: 'search', placeholder: 'id or title', value: q.get('q') || '', 'aria-label': 'filter' }),
    module: h('select', { 'aria-label': 'module' }, h('option', { value: '' }, 'all modules')),
    status: h('select', { 'aria-label': 'status' }, h('option', { value: '' }, 'any status'),
      TASK_STATUSES.map((s) => h('option', { value: s }, label(s)))),
    ready: h('select', { 'aria-label': 'ready' }, h('option', { value: '' }, 'ready or not'),
      h('option', { value: 'true' }, 'ready'), h('option', { value: 'false' }, 'not ready')),
  };
  f.status.value = q.get('status') || '';
  f.ready.value = q.get('ready') || '';
  const shown = h('span', { class: 'muted' });
  const tbody = h('tbody');
  root.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Tasks'), shown),
    h('div', { class: 'filters' }, f.text, f.module, f.status, f.ready),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table tasks' },
      h('thead', null, h('tr', null, ['ID', 'Title', 'Module', 'Status', 'Priority', 'Ready', 'Criteria', 'Tries',
        'Updated', ''].map((c, i) => h('th', { class: COL_CLASS[i] }, c)))),
      tbody)));

  let tasks = [];
  let loaded = false;
  const rows = new Map();   // id -> {tr, task}
  // Transitions seen while a fetch is in flight win over that fetch's (older) answer.
  let seq = 0;
  const latest = new Map();  // id -> {to, seq}

  const visible = (t) => {
    const text = f.text.value.trim().toLowerCase();
    return (!f.module.value || t.module === f.module.value)
      && (!f.status.value || t.status === f.status.value)
      && (!f.ready.value || String(!!t.ready) === f.ready.value)
      && (!text || t.id.toLowerCase().includes(text) || (t.title || '').toLowerCase().includes(text));
  };
  const applyFilter = () => {
    let n = 0;
    for (const { tr, task } of rows.values()) {
      const show = visible(task);
      tr.hidden = !show;
      if (show) n++;
    }
    shown.textContent = `${n} of ${tasks.length}`;
    ctx.setQuery({ q: f.text.value.trim(), module: f.module.value, status: f.status.value, ready: f.ready.value });
  };

  const load = async () => {
    const since = seq;
    const list = await api('/api/tasks');
    if (!ctx.alive) return;
    tasks = list || [];
    for (const t of tasks) {
      const l = latest.get(t.id);
      if (l && l.seq > since) t.status = l.to;
    }
    fillModules(f.module, tasks, loaded ? f.module.value : q.get('module'));
    loaded = true;
    rows.clear();
    fill(tbody, tasks.map((t) => {
      const tr = taskRow(t);
      rows.set(t.id, { tr, task: t });
      return tr;
    }));
    if (!tasks.length) tbody.append(h('tr', null, h('td', { colspan: 10 }, empty('No tasks in the plan.'))));
    applyFilter();
  };
  const refresh = coalesce(() => load(), 3000);
  ctx.cleanup(() => refresh.cancel());

  ctx.on('orch.scheduler.evt.task', (t) => {
    latest.set(t.task_id, { to: t.to, seq: ++seq });
    const row = rows.get(t.task_id);
    if (!row) { refresh(); return; }
    row.task.status = t.to;
    const tr = taskRow(row.task);
    row.tr.replaceWith(tr);
    row.tr = tr;
    applyFilter();
    // Readiness of dependants and attempt counts change with it: fetch them again soon.
    refresh(1500);
  });
  ctx.on('orch.scheduler.evt.synced', () => refresh());

  for (const el of [f.module, f.status, f.ready]) el.addEventListener('change', applyFilter);
  f.text.addEventListener('input', applyFilter);
  await load();
}

function fillModules(select, tasks, current) {
  const modules = [...new Set(tasks.map((t) => t.module).filter(Boolean))].sort();
  fill(select, h('option', { value: '' }, 'all modules'), modules.map((m) => h('option', { value: m }, m)));
  select.value = modules.includes(current) ? current : '';
}

/** Ready, ready but waiting for a running task's files (the scheduler's footprint rule), or not ready. */
function readiness(t) {
  if (t.ready && t.held_by) {
    return h('span', { class: 'waits', title: `shares ${t.shared_files} with ${t.held_by}` }, 'waits');
  }
  return t.ready ? h('span', { class: 'yes' }, 'ready') : h('span', { class: 'muted', title: t.blocked_reason || '' }, '—');
}

function taskRow(t) {
  return h('tr', { 'data-task-id': t.id, 'data-status': t.status },
    h('td', null, taskLink(t.id)),
    h('td', { class: 'title' }, t.title || ''),
    h('td', { class: 'opt-m' }, t.module || ''),
    h('td', null, chip(t.status)),
    h('td', { class: 'opt-m' }, h('span', { class: `prio p-${t.priority}` }, t.priority || '')),
    h('td', null, readiness(t)),
    h('td', { class: 'opt num' }, t.criteria_total ? `${t.criteria_done}/${t.criteria_total}` : ''),
    h('td', { class: 'opt num' }, t.attempts || ''),
    h('td', { class: 'opt' }, timeEl(t.updated_at, true)),
    h('td', { class: 'actions' }, taskActions(t)));
}

// ---- one task -------------------------------------------------------------------------------------------------

export async function mountTask(root, ctx) {
  const id = ctx.params[0];
  const body = h('div');
  root.append(body);

  const load = async () => {
    const data = await api(`/api/tasks/${enc(id)}`);
    if (!ctx.alive) return;
    renderTask(body, data, reload);
  };
  const refresh = coalesce(() => load(), 500);
  const reload = () => refresh();
  ctx.cleanup(() => refresh.cancel());

  ctx.on('orch.scheduler.evt.task', (t) => {
    if (t.task_id !== id) return;
    const head = body.querySelector('[data-task-id]');
    if (head) head.dataset.status = t.to;
    const c = body.querySelector('.task-status');
    if (c) c.replaceChildren(chip(t.to));
    refresh();
  });
  const mine = (x) => { if (x?.task_id === id) refresh(); };
  for (const a of ['orch.executor.evt.started', 'orch.executor.evt.finished', 'orch.observer.evt.stuck',
    'orch.observer.evt.budget', 'orch.prbot.evt.opened', 'orch.prbot.evt.merged', 'orch.prbot.evt.flagged',
    'orch.prbot.evt.fixing', 'orch.prbot.evt.failed']) ctx.on(a, mine);
  await load();
}

function renderTask(box, { task: t, runs = [], prs = [] }, reload) {
  const resume = actionButton('resume', 'resume', async () => {
    const run = await cmd.resume(t.id);
    if (run?.run_id) location.hash = `#/run/${run.run_id}`;
  }, 'small');
  fill(box,
    h('div', { class: 'page-head', 'data-task-id': t.id, 'data-status': t.status },
      h('h1', null, h('span', { class: 'mono' }, t.id), ' ', h('span', { class: 'task-status' }, chip(t.status))),
      h('div', { class: 'actions' }, taskActions(t, true), resume)),
    h('p', { class: 'lead' }, t.title || ''),
    t.last_error ? h('div', { class: 'error-box' }, t.last_error) : null,
    t.blocked_reason ? h('div', { class: 'notice' }, 'Blocked: ', t.blocked_reason) : null,
    t.ready && t.held_by ? h('div', { class: 'notice held' }, 'Waits: shares ', h('code', null, t.shared_files), ' with ',
      taskLink(t.held_by), ', which is running.') : null,
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', null, 'Details'), h('dl', { class: 'kv' },
        kv('module', t.module), kv('epic', t.epic ? `${t.prefix || ''} ${t.epic}` : null),
        kv('priority', t.priority), kv('ready', t.ready ? 'yes' : 'no'),
        kv('criteria', t.criteria_total ? `${t.criteria_done} of ${t.criteria_total}` : null),
        kv('attempts', t.attempts), kv('needs review', t.needs_review ? 'yes' : null),
        kv('retry at', t.retry_at ? timeEl(t.retry_at) : null), kv('file', t.file ? h('code', null, t.file) : null),
        kv('updated', timeEl(t.updated_at, true)))),
      h('section', { class: 'card' }, h('h2', null, 'Depends on'),
        (t.depends_on || []).length
          ? h('ul', { class: 'plain deps' }, t.depends_on.map((d) => h('li', null, taskLink(d))))
          : empty('No dependencies.'))),
    h('section', { class: 'card' }, h('h2', null, 'Runs ', h('span', { class: 'muted' }, runs.length)),
      runs.length ? runTable(runs) : empty('Not run yet.')),
    h('section', { class: 'card' }, h('h2', null, 'Pull requests ', h('span', { class: 'muted' }, prs.length)),
      prs.length ? h('div', { class: 'pr-list' }, prs.map((pr) => prCard(pr, reload))) : empty('No pull request.')));
}

function kv(k, v) {
  if (v == null || v === '' || v === 0) return null;
  return [h('dt', null, k), h('dd', null, v)];
}

export function runTable(runs) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('thead', null, h('tr', null, ['Run', 'Try', 'Status', 'Started', 'Took', 'Tokens in / out', 'Cost', 'Why']
      .map((c) => h('th', null, c)))),
    h('tbody', null, runs.map((r) => h('tr', null,
      h('td', null, h('a', { href: `#/run/${r.run_id}` }, `#${r.run_id}`)),
      h('td', { class: 'num' }, r.attempt),
      h('td', null, chip(r.status)),
      h('td', null, timeEl(r.started_at)),
      h('td', { class: 'num' }, r.ended_at ? fmtDuration(r.ended_at - r.started_at) : '…'),
      h('td', { class: 'num' }, `${fmtTokens(r.input_tokens)} / ${fmtTokens(r.output_tokens)}`),
      h('td', { class: 'num' }, fmtUsd(r.cost_usd)),
      h('td', { class: 'why' }, r.reason || ''))))));
}
