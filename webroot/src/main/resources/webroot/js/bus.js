// The SockJS event-bus bridge: live events in, commands out (with the REST API as the fallback).
import { api, toast, enc, parseBody } from './util.js';

const listeners = new Map();   // address -> Set of fn(body)
const attached = new Map();    // address -> the handler registered on the current connection
const stateListeners = new Set();
let eb = null;
let everOpened = false;

const isOpen = () => !!eb && eb.state === EventBus.OPEN;

/** Opens the bridge; returns the EventBus, or null when the client library did not load (REST still works). */
export function connect() {
  if (typeof window.EventBus !== 'function') {
    console.warn('vertx-eventbus.js or SockJS did not load: no live updates');
    setTimeout(() => notify('closed', false), 0);
    return null;
  }
  eb = new EventBus('/eventbus');
  eb.enableReconnect(true);
  eb.onopen = () => {
    // Handlers belong to one SockJS connection: register again after every (re)connect.
    attached.clear();
    for (const [address, set] of listeners) if (set.size) attach(address);
    const reconnected = everOpened;
    everOpened = true;
    notify('open', reconnected);
  };
  eb.onclose = () => {
    attached.clear();
    notify('closed', eb.reconnectEnabled);
  };
  eb.onerror = (err) => console.warn('bridge error', err);
  return eb;
}

/** Listens to bridge state: fn('open' | 'closed', flag) with flag = reconnected (open) or will retry (closed). */
export function onState(fn) {
  stateListeners.add(fn);
  return () => stateListeners.delete(fn);
}

function notify(state, flag) {
  for (const fn of stateListeners) {
    try { fn(state, flag); } catch (e) { console.error(e); }
  }
}

/** Subscribes to an event address; the bridge only registers addresses someone on the page listens to. */
export function on(address, fn) {
  let set = listeners.get(address);
  if (!set) listeners.set(address, (set = new Set()));
  set.add(fn);
  attach(address);
  return () => {
    set.delete(fn);
    if (!set.size) detach(address);
  };
}

function attach(address) {
  if (!isOpen() || attached.has(address)) return;
  const handler = (err, msg) => {
    if (err) { console.warn('bridge refused', address, err); return; }
    const body = parseBody(msg?.body);
    for (const fn of [...(listeners.get(address) || [])]) {
      try { fn(body); } catch (e) { console.error(address, e); }
    }
  };
  attached.set(address, handler);
  try { eb.registerHandler(address, handler); } catch (e) { attached.delete(address); }
}

function detach(address) {
  const handler = attached.get(address);
  if (!handler) return;
  attached.delete(address);
  if (isOpen()) {
    try { eb.unregisterHandler(address, handler); } catch { /* connection already gone */ }
  }
}

function failureText(err) {
  return err?.message || err?.body?.message || err?.failureType || 'command failed';
}

/**
 * Sends a command over the bridge and resolves with the reply body; when the bridge is not open it POSTs the
 * REST equivalent instead, so buttons work while reconnecting.
 */
export function send(owner, action, body, restPath, restBody = {}) {
  if (!isOpen()) return api(restPath, { method: 'POST', body: restBody });
  return new Promise((resolve, reject) => {
    let settled = false;
    // The bridge client has no reply timeout of its own: don't leave a button spinning forever.
    const timer = setTimeout(() => {
      if (!settled) { settled = true; reject(new Error(`${owner} did not answer "${action}"`)); }
    }, 35_000);
    try {
      eb.send(`orch.${owner}.cmd`, body, { action }, (err, reply) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(new Error(failureText(err)));
        else resolve(parseBody(reply?.body));
      });
    } catch (e) {
      settled = true;
      clearTimeout(timer);
      api(restPath, { method: 'POST', body: restBody }).then(resolve, reject);
    }
  });
}

/** Runs a command, shows a failure as an error toast, and resolves with the reply or null (never rejects). */
async function run(owner, action, body, restPath, restBody, okText) {
  try {
    const reply = await send(owner, action, body, restPath, restBody);
    const refused = reply?.refused;
    if (Array.isArray(refused) && refused.length) {
      toast(refused.map((r) => `${r.id}: ${r.reason}`).join('; '));
      return null;
    }
    if (okText) toast(okText, 'info');
    return reply ?? {};
  } catch (e) {
    toast(failureText(e));
    return null;
  }
}

/** Every command the dashboard can give. */
export const cmd = {
  start: (id) => run('scheduler', 'start', { ids: [id], count: 0 }, `/api/tasks/${enc(id)}/start`, {}, `started ${id}`),
  stop: (id) => run('scheduler', 'stop', { id }, `/api/tasks/${enc(id)}/stop`, {}, `stopped ${id}`),
  retry: (id) => run('scheduler', 'retry', { id }, `/api/tasks/${enc(id)}/retry`, {}, `retrying ${id}`),
  reset: (id) => run('scheduler', 'reset', { id }, `/api/tasks/${enc(id)}/reset`, {}, `reset ${id}`),
  resume: (id) => run('executor', 'resume', { task_id: id }, `/api/tasks/${enc(id)}/resume`, {}, null),
  merge: (n, force = false) =>
    run('prbot', 'merge', { number: n, force }, `/api/prs/${n}/merge`, { force }, `merging #${n}`),
  reject: (n, reason) =>
    run('prbot', 'reject', { number: n, reason }, `/api/prs/${n}/reject`, { reason }, `sent #${n} back`),
  cancel: (jobId) =>
    run('buildpool', 'cancel', { job_id: jobId }, `/api/pool/jobs/${jobId}/cancel`, {}, `cancelled job ${jobId}`),
  runBatch: (name) =>
    run('batch', 'run', { name }, `/api/batches/${encodeURIComponent(name)}/run`, {}, `batch ${name} started`),
  stopBatch: (name) =>
    run('batch', 'stop', { name }, `/api/batches/${encodeURIComponent(name)}/stop`, {}, `batch ${name} stopping`),
};

/** A button that runs an async action and stays disabled until it ends. */
export function actionButton(text, action, fn, cls = '') {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.dataset.action = action;
  if (cls) b.className = cls;
  b.addEventListener('click', async (e) => {
    e.preventDefault();
    e.stopPropagation();
    b.disabled = true;
    try { await fn(); } catch (err) { toast(failureText(err)); } finally { b.disabled = false; }
  });
  return b;
}

/** The buttons a task's status makes sensible (the task page shows all of them). */
export function taskActions(task, all = false) {
  const s = task.status;
  const live = s === 'queued' || s === 'running' || s === 'in_review' || s === 'paused';
  const show = {
    start: all || s === 'not_started' || s === 'failed' || s === 'stuck',
    stop: all || live,
    retry: all || s === 'failed' || s === 'stuck',
    reset: all || (!live && s !== 'not_started'),
  };
  return Object.keys(show).filter((a) => show[a])
    .map((a) => actionButton(a, a, () => cmd[a](task.id), a === 'stop' ? 'small danger' : 'small'));
}
