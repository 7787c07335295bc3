// Small DOM, formatting and HTTP helpers shared by every view.

/** Builds an element. Children that are strings become text nodes, so nothing from the server is parsed as HTML. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  appendAll(el, children);
  return el;
}

function appendAll(el, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) appendAll(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  appendAll(el, children);
  return el;
}

export const enc = encodeURIComponent;

// ---- formatting -------------------------------------------------------------------------------------------

export function fmtUsd(n) {
  const v = Number(n) || 0;
  return '$' + (v !== 0 && Math.abs(v) < 0.1 ? v.toFixed(3) : v.toFixed(2));
}

export function fmtTokens(n) {
  const v = Number(n) || 0;
  if (v >= 1e6) return (v / 1e6).toFixed(v >= 1e7 ? 0 : 1) + 'M';
  if (v >= 1e3) return (v / 1e3).toFixed(v >= 1e4 ? 0 : 1) + 'k';
  return String(v);
}

export function fmtDuration(ms) {
  let s = Math.max(0, Math.floor((Number(ms) || 0) / 1000));
  const hrs = Math.floor(s / 3600);
  const min = Math.floor((s % 3600) / 60);
  s %= 60;
  const two = (x) => String(x).padStart(2, '0');
  if (hrs) return `${hrs}h ${two(min)}m`;
  if (min) return `${min}m ${two(s)}s`;
  return `${s}s`;
}

export function fmtTime(ms) {
  if (!ms) return '—';
  const d = new Date(ms);
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function fmtAgo(ms, now = Date.now()) {
  if (!ms) return '—';
  const diff = now - ms;
  if (diff < 0) return 'in ' + fmtDuration(-diff);
  if (diff < 60_000) return 'just now';
  return fmtDuration(diff).replace(/ \d+s$/, '') + ' ago';
}

/** A `<time>` element: readable text, exact moment on hover. */
export function timeEl(ms, relative = false) {
  if (!ms) return h('span', { class: 'muted' }, '—');
  return h('time', { datetime: new Date(ms).toISOString(), title: new Date(ms).toLocaleString() },
    relative ? fmtAgo(ms) : fmtTime(ms));
}

export const label = (s) => String(s ?? '').replace(/_/g, ' ');

export function chip(status, extraClass = '') {
  return h('span', { class: `chip s-${status} ${extraClass}`.trim() }, label(status));
}

export function taskLink(id) {
  return h('a', { href: `#/task/${enc(id)}`, class: 'mono' }, id);
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

// ---- toasts -----------------------------------------------------------------------------------------------

/** Shows a message in the corner; errors stay longer, and any toast goes away on click. */
export function toast(message, kind = 'error', extra = null) {
  const box = document.getElementById('toasts');
  if (!box) return;
  const el = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, String(message), extra);
  el.addEventListener('click', (e) => { if (e.target.tagName !== 'A') el.remove(); });
  box.append(el);
  while (box.children.length > 5) box.firstElementChild.remove();
  setTimeout(() => el.remove(), kind === 'error' ? 12_000 : 5_000);
}

// ---- HTTP -------------------------------------------------------------------------------------------------

export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** fetches JSON from the API; failures become ApiError with the server's `{error, code}` when it sent one. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError('orch is not answering (' + e.message + ')', 0, 'unreachable');
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: handled below */ }
  if (!res.ok) {
    const msg = json?.error || text.trim().slice(0, 200) || res.statusText || 'request failed';
    throw new ApiError(`${msg} (${res.status})`, res.status, json?.code || 'error');
  }
  return json;
}

// ---- timing -----------------------------------------------------------------------------------------------

/**
 * Coalesces bursts of events into one call of `fn`, at most once every `wait` ms, never two at once.
 * `schedule(delay)` asks for a call no sooner than `delay` ms from now.
 */
export function coalesce(fn, wait = 500) {
  let timer = null, busy = false, again = false, last = 0;
  const run = async () => {
    timer = null;
    busy = true;
    try { await fn(); } catch (e) { console.warn(e); }
    busy = false;
    last = Date.now();
    if (again) { again = false; schedule(); }
  };
  const schedule = (delay = 0) => {
    if (busy) { again = true; return; }
    if (timer) return;
    timer = setTimeout(run, Math.max(delay, last + wait - Date.now(), 0));
  };
  schedule.cancel = () => { clearTimeout(timer); timer = null; again = false; };
  return schedule;
}

/** Whether the window is scrolled (nearly) to the bottom: logs follow new output only then. */
export function atBottom() {
  const doc = document.documentElement;
  return window.innerHeight + window.scrollY >= doc.scrollHeight - 48;
}

export function scrollToBottom() {
  window.scrollTo(0, document.documentElement.scrollHeight);
}

export function parseBody(body) {
  if (typeof body !== 'string') return body;
  try { return JSON.parse(body); } catch { return body; }
}

/** Task statuses in the order the dashboard lists them. */
export const TASK_STATUSES = ['running', 'queued', 'in_review', 'in_progress', 'paused', 'not_started', 'complete',
  'failed', 'stuck', 'blocked', 'removed'];
