// orch dashboard: the hash router, the bridge indicator and the readiness hooks the browser tests use.
import { h, fill, toast } from './js/util.js';
import * as bus from './js/bus.js';
import { mountOverview } from './js/overview.js';
import { mountTasks, mountTask } from './js/tasks.js';
import { mountGraph } from './js/graph.js';
import { mountRun } from './js/run.js';
import { mountPrs } from './js/prs.js';
import { mountPool, mountJob } from './js/pool.js';
import { mountBatches } from './js/batches.js';

// [pattern, mount, nav section, page title]
const routes = [
  [/^\/?$/, mountOverview, 'overview', 'Overview'],
  [/^\/tasks\/?$/, mountTasks, 'tasks', 'Tasks'],
  [/^\/task\/(.+)$/, mountTask, 'tasks', 'Task'],
  [/^\/graph\/?$/, mountGraph, 'graph', 'Graph'],
  [/^\/run\/([^/]+)$/, mountRun, 'tasks', 'Run'],
  [/^\/prs\/?$/, mountPrs, 'prs', 'Pull requests'],
  [/^\/pool\/?$/, mountPool, 'pool', 'Build pool'],
  [/^\/job\/([^/]+)$/, mountJob, 'pool', 'Job'],
  [/^\/batches\/?$/, mountBatches, 'batches', 'Batches'],
];

const eb = bus.connect();
window.orch = { bus: eb, ready: false, route: location.hash || '#/' };

const viewEl = document.getElementById('view');
let current = null;   // the mounted view's context

function setReady(ready) {
  window.orch.ready = ready;
  document.body.dataset.ready = ready ? 'true' : 'false';
}

/** What a view gets: route params, and ways to listen and time things that end when the view goes. */
function makeContext(params, query) {
  const cleanups = [];
  const ctx = {
    params,
    query,
    alive: true,
    onReconnect: null,   // a view may set this; otherwise the route is mounted again
    on(address, fn) {
      cleanups.push(bus.on(address, (body) => { if (ctx.alive) fn(body); }));
    },
    interval(fn, ms) {
      const id = setInterval(fn, ms);
      cleanups.push(() => clearInterval(id));
    },
    cleanup(fn) { cleanups.push(fn); },
    /** Rewrites the address bar's query (filters) without mounting the view again. */
    setQuery(q) {
      const qs = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== '' && v != null)).toString();
      const path = location.hash.replace(/^#/, '').split('?')[0];
      const hash = '#' + path + (qs ? '?' + qs : '');
      history.replaceState(null, '', hash);
      window.orch.route = hash;
    },
    destroy() {
      ctx.alive = false;
      for (const fn of cleanups.splice(0)) {
        try { fn(); } catch (e) { console.error(e); }
      }
    },
  };
  return ctx;
}

async function route() {
  const hash = location.hash || '#/';
  const [path, qs] = hash.replace(/^#/, '').split('?');
  const found = routes.find(([re]) => re.test(path));
  window.orch.route = hash;
  setReady(false);
  if (current) current.destroy();

  document.querySelectorAll('[data-nav]').forEach((a) =>
    a.classList.toggle('active', !!found && a.dataset.nav === found[2]));

  const root = h('div', { class: 'page' });
  fill(viewEl, root);
  if (!found) {
    root.append(h('h1', null, 'Not found'), h('p', null, 'No page at ', h('code', null, hash), '. ',
      h('a', { href: '#/' }, 'Go to the overview')));
    current = null;
    setReady(true);
    return;
  }
  const [re, mount, , title] = found;
  const params = path.match(re).slice(1).map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  const ctx = makeContext(params, new URLSearchParams(qs || ''));
  current = ctx;
  document.title = `${title}${params[0] ? ' ' + params[0] : ''} · orch`;
  try {
    await mount(root, ctx);
  } catch (e) {
    if (!ctx.alive) return;
    console.error(e);
    root.append(h('div', { class: 'error-box' }, h('strong', null, 'Could not load this page. '), e.message));
    toast(e.message);
  }
  if (ctx.alive && current === ctx) setReady(true);
}

// ---- the bridge indicator ---------------------------------------------------------------------------------

const bridgeEl = document.querySelector('[data-bridge]');
const noteEl = document.querySelector('.bridge-note');

bus.onState((state, flag) => {
  bridgeEl.dataset.bridge = state;
  bridgeEl.textContent = state;
  bridgeEl.title = state === 'open' ? 'live updates on' : (flag ? 'reconnecting to orch…' : 'no live updates');
  noteEl.hidden = state === 'open' || !flag;
  // Events were missed while the bridge was down: let the view catch up once (no polling).
  if (state === 'open' && flag && current) {
    if (typeof current.onReconnect === 'function') current.onReconnect();
    else route();
  }
});

// The observer stopping an agent matters on every page.
for (const address of ['orch.observer.evt.stuck', 'orch.observer.evt.budget']) {
  bus.on(address, (a) => toast(`${a.task_id ? a.task_id + ': ' : ''}${a.reason}`, 'warn',
    a.run_id ? h('a', { href: `#/run/${a.run_id}` }, `run #${a.run_id}`) : null));
}

window.addEventListener('hashchange', route);
route();
