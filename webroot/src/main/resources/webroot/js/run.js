// #/run/RUN — one agent run: its header, its readable log, then live output as the agent works.
import { h, fill, api, chip, taskLink, timeEl, fmtUsd, fmtTokens, fmtDuration, atBottom, scrollToBottom,
  toast } from './util.js';
import { actionButton, cmd } from './bus.js';

const LIMIT = 500;          // events per log page
const PAGES_AT_ONCE = 20;   // pages read before asking the person to "load more"
const SHOW_CHARS = 40_000;  // longer tool output is cut in the page (the log file keeps it)
const isLive = (status) => status === 'starting' || status === 'running';

export async function mountRun(root, ctx) {
  const runId = Number(ctx.params[0]);
  if (!Number.isFinite(runId)) throw new Error(`"${ctx.params[0]}" is not a run number`);
  const head = h('section', { class: 'card run-head' });
  const log = h('div', { class: 'log', 'data-run-log': '' });
  const more = h('div', { class: 'log-more' });
  root.append(head, log, more);

  let run = null;
  let nextOffset = 0;
  let caughtUp = false;
  let buffered = [];          // live events that arrived before the log was read to its end
  const tail = [];            // keys of the last events read from the log, to drop live duplicates
  const toolNames = new Map(); // tool_id -> tool, so a result says which tool it answers

  const renderHead = () => renderHeader(head, run);
  const append = (events, fromLog) => {
    const stick = atBottom();
    const frag = document.createDocumentFragment();
    for (const ev of events || []) {
      if (ev.kind === 'tool-call' && ev.tool_id) toolNames.set(ev.tool_id, ev.tool);
      if (ev.kind === 'result') absorbResult(ev);
      frag.append(renderEvent(ev, toolNames));
      if (fromLog) { tail.push(JSON.stringify(ev)); if (tail.length > 2000) tail.shift(); }
    }
    log.append(frag);
    if (stick && !fromLog) scrollToBottom();
  };
  // While the agent runs, RunView is only re-sent when it ends; a result event already has the totals.
  const absorbResult = (ev) => {
    if (!run || !isLive(run.status)) return;
    for (const k of ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens', 'cost_usd',
      'num_turns']) if (ev[k]) run[k] = ev[k];
  };

  const readLog = async () => {
    fill(more);
    for (let page = 0; page < PAGES_AT_ONCE; page++) {
      const from = nextOffset;
      const res = await api(`/api/runs/${runId}/log?offset=${from}&limit=${LIMIT}`);
      if (!ctx.alive) return;
      const events = res.events || [];
      append(events, true);
      nextOffset = res.next_offset ?? from;
      if (events.length < LIMIT || nextOffset <= from) { caughtUp = true; break; }
    }
    if (caughtUp) flushBuffer();
    else more.append(actionButton('load more', 'load-more', readLog));
    if (run) renderHead();
  };
  // Live events overlap the end of what the log read returned: skip the longest such overlap.
  const flushBuffer = () => {
    const keys = buffered.map((ev) => JSON.stringify(ev));
    let k = Math.min(keys.length, tail.length);
    for (; k > 0; k--) {
      let same = true;
      for (let i = 0; i < k && same; i++) same = keys[i] === tail[tail.length - k + i];
      if (same) break;
    }
    const rest = buffered.slice(k);
    buffered = [];
    if (rest.length) append(rest, false);
  };

  ctx.on('orch.executor.evt.output', (out) => {
    if (Number(out.run_id) !== runId) return;
    // Over the server's per-event cap the events stay behind; the log has them all.
    if (out.truncated) { toast('a large burst of output was not streamed: reload the run to read it', 'info'); return; }
    if (!caughtUp) { buffered.push(...(out.events || [])); return; }
    append(out.events, false);
    if (run && (out.events || []).some((ev) => ev.kind === 'result')) renderHead();
  });
  const update = (rv) => { if (Number(rv.run_id) === runId) { run = rv; renderHead(); } };
  ctx.on('orch.executor.evt.started', update);
  ctx.on('orch.executor.evt.finished', update);
  ctx.interval(() => {
    const span = head.querySelector('[data-since]');
    if (span) span.textContent = fmtDuration(Date.now() - Number(span.dataset.since));
  }, 1000);

  run = await api(`/api/runs/${runId}`);
  if (!ctx.alive) return;
  renderHead();
  await readLog();
  if (run && isLive(run.status)) scrollToBottom();
}

function renderHeader(box, r) {
  const live = isLive(r.status);
  const took = live ? h('span', { 'data-since': r.started_at }, fmtDuration(Date.now() - r.started_at))
    : (r.ended_at && r.started_at ? fmtDuration(r.ended_at - r.started_at) : '—');
  const stop = actionButton('Stop', 'stop', () => cmd.stop(r.task_id), 'danger');
  const resume = actionButton('Resume', 'resume', async () => {
    const next = await cmd.resume(r.task_id);
    if (next?.run_id) toast(`resumed as run #${next.run_id} `, 'info',
      h('a', { href: `#/run/${next.run_id}` }, 'open'));
  });
  stop.hidden = !live;
  resume.hidden = live;
  fill(box,
    h('div', { class: 'page-head' },
      h('h1', null, `Run #${r.run_id} `, h('span', { class: 'muted' }, 'of '), taskLink(r.task_id)),
      h('div', { class: 'actions' }, stop, resume)),
    h('dl', { class: 'kv wide' },
      h('dt', null, 'status'), h('dd', null, h('span', { class: `chip s-${r.status}`, 'data-run-status': '' }, r.status)),
      h('dt', null, 'attempt'), h('dd', null, r.attempt),
      h('dt', null, 'elapsed'), h('dd', null, took),
      h('dt', null, 'tokens'), h('dd', null,
        `${fmtTokens(r.input_tokens)} in · ${fmtTokens(r.output_tokens)} out · `
        + `${fmtTokens(r.cache_read_tokens)} cache read · ${fmtTokens(r.cache_creation_tokens)} cache write`),
      h('dt', null, 'cost'), h('dd', null, fmtUsd(r.cost_usd), r.num_turns ? ` · ${r.num_turns} turns` : ''),
      h('dt', null, 'started'), h('dd', null, timeEl(r.started_at)),
      r.branch ? [h('dt', null, 'branch'), h('dd', null, h('code', null, r.branch))] : null,
      r.resumed_from ? [h('dt', null, 'resumes'), h('dd', null, h('a', { href: `#/run/${r.resumed_from}` },
        `run #${r.resumed_from}`))] : null,
      r.exit_code != null ? [h('dt', null, 'exit code'), h('dd', null, r.exit_code)] : null),
    r.reason ? h('div', { class: r.status === 'succeeded' ? 'why' : 'error-box' }, r.reason) : null);
}

// ---- events ---------------------------------------------------------------------------------------------------

function renderEvent(ev, toolNames) {
  const kind = ev.kind || 'system';
  switch (kind) {
    case 'text':
      return h('div', { class: 'ev ev-text', 'data-event-kind': kind }, ev.text || '');
    case 'tool-call':
      return toolCall(ev);
    case 'tool-result':
      return toolResult(ev, toolNames.get(ev.tool_id));
    case 'result':
      return resultLine(ev);
    case 'init':
      return h('div', { class: 'ev ev-line', 'data-event-kind': kind }, 'session ',
        h('code', null, ev.session_id || '?'), ev.model ? ` · ${ev.model}` : '', ev.text ? ` · ${ev.text}` : '');
    default: // retry, system, anything newer
      return h('div', { class: `ev ev-line${ev.error ? ' error' : ''}`, 'data-event-kind': kind },
        h('span', { class: 'ev-tag' }, kind), ' ', ev.text || ev.subtype || '');
  }
}

function toolCall(ev) {
  let input = null;
  try { input = ev.text ? JSON.parse(ev.text) : null; } catch { /* keep the raw text */ }
  const summary = summarize(input, ev.text || '');
  const full = input && typeof input === 'object' ? JSON.stringify(input, null, 2) : ev.text || '';
  return h('div', { class: 'ev ev-tool', 'data-event-kind': 'tool-call' },
    h('span', { class: 'tool-name' }, ev.tool || 'tool'), ' ',
    h('code', { class: 'tool-sum' }, summary),
    full.length > summary.length + 8 ? h('details', null, h('summary', null, 'input'), h('pre', null, cut(full))) : null);
}

/** The one field that says what a tool call does (a command, a path, a pattern), else compact JSON. */
function summarize(input, raw) {
  if (!input || typeof input !== 'object') return oneLine(raw);
  for (const k of ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description', 'prompt', 'skill']) {
    if (typeof input[k] === 'string' && input[k]) {
      const extra = k === 'pattern' && input.path ? ` in ${input.path}` : '';
      return oneLine(input[k] + extra);
    }
  }
  if (Array.isArray(input.todos)) return `${input.todos.length} todo(s)`;
  return oneLine(JSON.stringify(input));
}

function oneLine(s, max = 160) {
  const line = String(s).replace(/\s+/g, ' ').trim();
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}

function cut(s) {
  return s.length > SHOW_CHARS ? s.slice(0, SHOW_CHARS) + `\n… (${s.length - SHOW_CHARS} more characters)` : s;
}

function toolResult(ev, tool) {
  const text = ev.text || '';
  const lines = text ? text.split('\n').length : 0;
  return h('details', { class: `ev ev-result${ev.error ? ' error' : ''}`, 'data-event-kind': 'tool-result' },
    h('summary', null, h('span', { class: 'ev-tag' }, ev.error ? '✗ error' : '↳ result'),
      tool ? ` ${tool}` : '', h('span', { class: 'muted' }, ` · ${lines} line${lines === 1 ? '' : 's'} `),
      h('span', { class: 'preview' }, oneLine(text, 100))),
    h('pre', null, cut(text)));
}

function resultLine(ev) {
  const parts = [ev.subtype || (ev.error ? 'error' : 'done'),
    ev.num_turns ? `${ev.num_turns} turns` : null,
    ev.input_tokens || ev.output_tokens ? `${fmtTokens(ev.input_tokens)} in / ${fmtTokens(ev.output_tokens)} out` : null,
    ev.cost_usd ? fmtUsd(ev.cost_usd) : null].filter(Boolean);
  return h('div', { class: `ev ev-line ev-final${ev.error ? ' error' : ''}`, 'data-event-kind': 'result' },
    h('span', { class: 'ev-tag' }, 'result'), ' ', parts.join(' · '),
    ev.text ? h('details', null, h('summary', null, 'final message'), h('div', { class: 'ev-text' }, cut(ev.text))) : null);
}
