// #/pool (workers and jobs of the build pool) and #/job/J (one job's output, followed live).
import { h, fill, api, coalesce, chip, taskLink, empty, timeEl, fmtDuration, atBottom, scrollToBottom }
  from './util.js';
import { actionButton, cmd } from './bus.js';

const jobDone = (state) => state !== 'queued' && state !== 'running';

export async function mountPool(root, ctx) {
  const summary = h('section', { class: 'card' });
  const workersBox = h('section', { class: 'card' });
  const jobsBox = h('div');
  root.append(h('h1', null, 'Build pool'), summary, workersBox, jobsBox);

  let pool;
  try {
    pool = await api('/api/pool');
  } catch (e) {
    if (e.status !== 503) throw e;
    root.append(h('div', { class: 'notice big-notice', 'data-pool-off': '' }, 'The build pool is off.'));
    summary.remove(); workersBox.remove();
    return;
  }
  const workers = new Map((pool.workers || []).map((w) => [w.worker_id, w]));
  const jobs = new Map(((await api('/api/pool/jobs?limit=50')) || []).map((j) => [j.job_id, j]));
  if (!ctx.alive) return;

  const renderAll = () => {
    renderSummary(summary, pool, workers);
    renderWorkers(workersBox, [...workers.values()]);
    renderJobs(jobsBox, [...jobs.values()]);
  };
  // Counts of queued and running jobs come from the coordinator: ask again after job events.
  const refreshPool = coalesce(async () => {
    try { pool = await api('/api/pool'); } catch { return; }
    if (!ctx.alive) return;
    for (const w of pool.workers || []) workers.set(w.worker_id, w);
    renderAll();
  }, 1000);
  ctx.cleanup(() => refreshPool.cancel());

  ctx.on('orch.buildpool.evt.job', (j) => {
    jobs.set(j.job_id, j);
    renderJobs(jobsBox, [...jobs.values()]);
    refreshPool();
  });
  ctx.on('orch.buildpool.evt.worker', (w) => {
    workers.set(w.worker_id, w);
    renderSummary(summary, pool, workers);
    renderWorkers(workersBox, [...workers.values()]);
  });
  renderAll();
}

function renderSummary(box, p, workers) {
  const all = [...workers.values()];
  fill(box, h('dl', { class: 'kv wide' },
    h('dt', null, 'workers'), h('dd', null, `${all.filter((w) => w.alive).length} alive of ${all.length}`),
    h('dt', null, 'jobs'), h('dd', null, `${p.running_jobs} running · ${p.queued_jobs} queued`),
    h('dt', null, 'local fallback'), h('dd', null, p.local_fallback_active ? `on (${p.local_slots} slots)` : 'off'),
    p.git_daemon ? [h('dt', null, 'git daemon'), h('dd', null, h('code', null, p.git_daemon))] : null,
    p.coordinating === false ? [h('dt', null, 'note'), h('dd', null, 'this process is not the coordinator')] : null));
}

function renderWorkers(box, workers) {
  workers.sort((a, b) => a.worker_id.localeCompare(b.worker_id));
  fill(box, h('h2', null, 'Workers'), workers.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('thead', null, h('tr', null, ['Worker', 'Host', 'Slots', 'Free', 'Running', 'Alive', 'Last seen']
      .map((c) => h('th', null, c)))),
    h('tbody', null, workers.map((w) => {
      const running = w.running_jobs || [];
      return h('tr', { 'data-worker': w.worker_id, class: w.alive ? '' : 'dead' },
        h('td', { class: 'mono' }, w.worker_id),
        h('td', null, w.host || ''),
        h('td', { class: 'num' }, w.slots),
        h('td', { class: 'num' }, Math.max(0, w.slots - running.length)),
        h('td', null, running.map((j) => h('a', { href: `#/job/${j}`, class: 'job-ref' }, `#${j}`))),
        h('td', null, w.alive ? h('span', { class: 'yes' }, 'alive') : h('span', { class: 'no' }, 'gone')),
        h('td', null, timeEl(w.last_seen, true)));
    }))))
    : empty('No worker has connected.'));
}

function renderJobs(box, jobs) {
  jobs.sort((a, b) => b.job_id - a.job_id);
  const group = (title, list) => h('section', { class: 'card' }, h('h2', null, `${title} `,
    h('span', { class: 'muted' }, list.length)), list.length ? jobTable(list) : empty(`No ${title.toLowerCase()} job.`));
  fill(box,
    group('Running', jobs.filter((j) => j.state === 'running')),
    group('Queued', jobs.filter((j) => j.state === 'queued')),
    group('Recent', jobs.filter((j) => jobDone(j.state)).slice(0, 50)));
}

function jobTable(jobs) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('thead', null, h('tr', null, ['Job', 'Label', 'Task', 'State', 'Worker', 'Created', 'Took', 'Command']
      .map((c) => h('th', null, c)))),
    h('tbody', null, jobs.map((j) => h('tr', { 'data-job': j.job_id, 'data-job-state': j.state },
      h('td', null, h('a', { href: `#/job/${j.job_id}` }, `#${j.job_id}`)),
      h('td', null, j.label || ''),
      h('td', null, j.task_id ? taskLink(j.task_id) : ''),
      h('td', null, chip(j.state), j.exit_code != null && j.exit_code !== 0 ? ` exit ${j.exit_code}` : ''),
      h('td', null, j.worker || ''),
      h('td', null, timeEl(j.created_at, true)),
      h('td', { class: 'num' }, j.started_at ? fmtDuration((j.ended_at || Date.now()) - j.started_at) : ''),
      h('td', null, h('code', { class: 'clip', title: j.command || '' }, j.command || '')))))));
}

// ---- one job ----------------------------------------------------------------------------------------------

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function mountJob(root, ctx) {
  const jobId = Number(ctx.params[0]);
  if (!Number.isFinite(jobId)) throw new Error(`"${ctx.params[0]}" is not a job number`);
  const head = h('section', { class: 'card' });
  const out = h('pre', { class: 'job-output', 'data-job-output': '' });
  root.append(head, out);

  let job = null;
  let next = 0;                 // byte offset of the output shown so far
  const pending = new Map();    // offset -> {text, stream}: pieces that came ahead of a gap

  // Output arrives as byte-offset pieces, from reads and from events; each byte is shown once, in order.
  const accept = (offset, text, stream) => {
    if (!text) return;
    const bytes = encoder.encode(text);
    if (offset > next) { pending.set(offset, { text, stream }); fetchGap(); return; }
    if (offset + bytes.length <= next) return;
    const fresh = offset === next ? text : decoder.decode(bytes.subarray(next - offset));
    const stick = atBottom();
    out.append(stream === 'stderr' ? h('span', { class: 'stderr' }, fresh) : fresh);
    next = offset + bytes.length;
    if (stick) scrollToBottom();
    for (const [o, p] of [...pending]) {
      if (o <= next) { pending.delete(o); accept(o, p.text, p.stream); }
    }
  };
  /** Reads from `next` until the output is complete or nothing new comes. */
  const read = async () => {
    for (let i = 0; i < 200; i++) {
      const from = next;
      const res = await api(`/api/pool/jobs/${jobId}/output?offset=${from}`);
      if (!ctx.alive) return;
      if (res.job) { job = res.job; renderJobHead(head, job); }
      accept(res.offset ?? from, res.text || '', '');
      const end = job ? job.output_bytes : 0;
      if (res.done || next >= end || (res.next_offset ?? from) <= from) break;
    }
  };
  const fetchGap = coalesce(() => read(), 300);
  ctx.cleanup(() => fetchGap.cancel());

  ctx.on('orch.buildpool.evt.output', (o) => {
    if (Number(o.job_id) !== jobId) return;
    // Over the server's per-event cap the text stays behind: read it from the API instead.
    if (o.truncated) fetchGap();
    else accept(Number(o.offset), o.text, o.stream);
  });
  ctx.on('orch.buildpool.evt.job', (j) => {
    if (Number(j.job_id) !== jobId) return;
    job = j;
    renderJobHead(head, job);
    if (jobDone(j.state) && next < j.output_bytes) fetchGap();
  });
  ctx.interval(() => {
    const span = head.querySelector('[data-since]');
    if (span) span.textContent = fmtDuration(Date.now() - Number(span.dataset.since));
  }, 1000);

  await read();
  if (!job) job = await api(`/api/pool/jobs/${jobId}`);
  if (!ctx.alive) return;
  renderJobHead(head, job);
  if (!out.textContent) out.dataset.empty = 'true';
}

function renderJobHead(box, j) {
  const running = j.state === 'running';
  const took = running && j.started_at ? h('span', { 'data-since': j.started_at }, fmtDuration(Date.now() - j.started_at))
    : (j.started_at && j.ended_at ? fmtDuration(j.ended_at - j.started_at) : '—');
  fill(box,
    h('div', { class: 'page-head' },
      h('h1', null, `Job #${j.job_id} `, h('span', { class: 'muted' }, j.label || '')),
      h('div', { class: 'actions' }, jobDone(j.state) ? null : actionButton('Cancel', 'cancel', async () => {
        const reply = await cmd.cancel(j.job_id);
        if (reply?.job_id) renderJobHead(box, reply);
      }, 'danger'))),
    h('dl', { class: 'kv wide' },
      h('dt', null, 'state'), h('dd', null, h('span', { class: `chip s-${j.state}`, 'data-job-state': '' }, j.state),
        j.exit_code != null ? ` exit ${j.exit_code}` : ''),
      h('dt', null, 'command'), h('dd', null, h('code', null, j.command || '')),
      j.task_id ? [h('dt', null, 'task'), h('dd', null, taskLink(j.task_id))] : null,
      h('dt', null, 'worker'), h('dd', null, j.worker || '—'),
      j.commit || j.ref ? [h('dt', null, 'commit'), h('dd', null, h('code', null, [j.ref, j.commit?.slice(0, 12)]
        .filter(Boolean).join(' @ ')))] : null,
      h('dt', null, 'attempts'), h('dd', null, j.attempts),
      h('dt', null, 'created'), h('dd', null, timeEl(j.created_at)),
      h('dt', null, 'took'), h('dd', null, took, j.timeout_secs ? h('span', { class: 'muted' },
        ` (limit ${fmtDuration(j.timeout_secs * 1000)})`) : '')),
    j.reason ? h('div', { class: j.state === 'succeeded' ? 'why' : 'error-box' }, j.reason) : null);
}
