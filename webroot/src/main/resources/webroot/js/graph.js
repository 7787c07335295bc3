// #/graph — the plan's dependency graph (cytoscape + dagre), loaded only when this page is opened.
import { h, fill, api, enc, label, TASK_STATUSES } from './util.js';

let libs = null;   // one load of the three libraries per page life

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

function loadLibs() {
  libs ??= (async () => {
    await Promise.all([loadScript('vendor/cytoscape/cytoscape.min.js'), loadScript('vendor/dagre/dagre.min.js')]);
    await loadScript('vendor/cytoscape-dagre/cytoscape-dagre.js'); // needs the global dagre
    window.cytoscape.use(window.cytoscapeDagre);
  })().catch((e) => { libs = null; throw e; });
  return libs;
}

const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches;

/** Node fill per status; the same hues as the status chips in app.css. */
export function statusColors() {
  return {
    not_started: dark() ? '#5b6470' : '#c4cad2', queued: '#8fb3e0', running: '#3b82f6', in_review: '#a78bfa',
    in_progress: '#60a5fa', complete: '#22a06b', failed: '#e5484d', stuck: '#f59e0b', blocked: '#b7791f',
    removed: dark() ? '#3a3f47' : '#e5e7eb', paused: '#06b6d4',
  };
}
const CRITICAL = '#d0249b';

/** Black or white label, whichever reads better on the fill (relative luminance of #rrggbb). */
function textOn(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.3 ? '#1f2328' : '#ffffff';
}

function style() {
  const colors = statusColors();
  const ink = textOn(colors.not_started);
  return [
    { selector: 'node', style: {
      shape: 'round-rectangle', width: NODE_W, height: NODE_H, label: 'data(id)', 'font-size': 11, color: ink,
      'text-valign': 'center', 'text-halign': 'center', 'text-wrap': 'ellipsis', 'text-max-width': 120,
      'background-color': colors.not_started, 'border-width': 1, 'border-color': dark() ? '#0d1117' : '#ffffff',
    } },
    ...TASK_STATUSES.map((s) => ({ selector: `node[status = "${s}"]`,
      style: { 'background-color': colors[s], color: textOn(colors[s]) } })),
    { selector: 'node[status = "removed"]', style: { 'border-style': 'dashed', opacity: 0.6 } },
    { selector: 'edge', style: {
      width: 1.2, 'curve-style': 'bezier', 'line-color': dark() ? '#4b535e' : '#b8c0ca',
      'target-arrow-shape': 'triangle', 'target-arrow-color': dark() ? '#4b535e' : '#b8c0ca', 'arrow-scale': 0.8,
    } },
    { selector: 'node.critical', style: { 'border-width': 4, 'border-color': CRITICAL } },
    { selector: 'edge.critical', style: {
      width: 4, 'line-color': CRITICAL, 'target-arrow-color': CRITICAL, 'z-index': 10,
    } },
    { selector: 'node:selected', style: { 'overlay-color': CRITICAL, 'overlay-opacity': 0.2 } },
  ];
}

function elements(graph) {
  let nodes = graph.nodes || [];
  const ids = new Set();
  const seen = new Set();
  nodes = nodes.filter((n) => n.id && !ids.has(n.id) && ids.add(n.id));
  const cp = graph.critical_path || [];
  const critical = new Set(cp);
  // An edge is on the path when it joins two consecutive path ids (either way round).
  const pathEdges = new Set();
  for (let i = 0; i + 1 < cp.length; i++) {
    pathEdges.add(`${cp[i]}|${cp[i + 1]}`);
    pathEdges.add(`${cp[i + 1]}|${cp[i]}`);
  }
  return [
    ...nodes.map((n) => ({
      group: 'nodes', classes: critical.has(n.id) ? 'critical' : '',
      data: { id: n.id, title: n.title || '', module: n.module || '', status: n.status, ready: !!n.ready },
    })),
    // cytoscape refuses duplicate ids, so repeated edges are dropped.
    ...(graph.edges || []).filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to
      && !seen.has(`${e.from}|${e.to}`) && seen.add(`${e.from}|${e.to}`)).map((e) => ({
      group: 'edges', classes: pathEdges.has(`${e.from}|${e.to}`) ? 'critical' : '',
      data: { id: `edge:${e.from}|${e.to}`, source: e.from, target: e.to },
    })),
  ];
}

const LAYOUT = { rankDir: 'LR', nodeSep: 14, rankSep: 70, fit: true, animate: false };
const NODE_W = 128, NODE_H = 30;
const WORKER_ABOVE = 300;   // nodes; smaller plans lay out in well under a second on the page's thread

function runLayout(cy, options) {
  return new Promise((resolve) => {
    const layout = cy.layout(options);
    layout.one('layoutstop', resolve);
    layout.run();
  });
}

/** The same dagre layout computed in a worker, then placed with cytoscape's preset layout. */
async function layoutInWorker(cy, ctx) {
  const worker = new Worker('js/dagre-worker.js');
  ctx.cleanup(() => worker.terminate());
  const positions = await new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(`graph layout failed: ${e.message || 'worker error'}`));
    worker.postMessage({
      nodes: cy.nodes().map((n) => n.id()), edges: cy.edges().map((e) => [e.source().id(), e.target().id()]),
      nodeSep: LAYOUT.nodeSep, rankSep: LAYOUT.rankSep, width: NODE_W, height: NODE_H,
    });
  });
  worker.terminate();
  if (!ctx.alive) return;
  await runLayout(cy, { name: 'preset', positions: (n) => positions[n.id()] || { x: 0, y: 0 }, fit: true });
}

export async function mountGraph(root, ctx) {
  const info = h('span', { class: 'muted graph-info' }, 'loading…');
  const find = h('input', { type: 'search', placeholder: 'find a task', 'aria-label': 'find a task' });
  const fit = h('button', { type: 'button', class: 'small' }, 'fit');
  const relayout = h('button', { type: 'button', class: 'small', hidden: true }, 'plan changed: redraw');
  const box = h('div', { id: 'graph', class: 'graph' });
  const colors = statusColors();
  root.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Graph'), h('div', { class: 'filters' }, find, fit, relayout)),
    h('div', { class: 'legend' }, TASK_STATUSES.map((s) => h('span', null,
      h('i', { style: `background:${colors[s]}` }), label(s))),
      h('span', null, h('i', { style: `background:${CRITICAL}` }), 'critical path')),
    info, box);

  // Colours follow transitions without a new layout; those that come before the graph is drawn wait.
  let cy = null;
  const early = [];
  const recolour = (t) => {
    const node = cy.getElementById(t.task_id);
    if (node.nonempty()) node.data('status', t.to);
    else relayout.hidden = false;
  };
  ctx.on('orch.scheduler.evt.task', (t) => (cy ? recolour(t) : early.push(t)));
  ctx.on('orch.scheduler.evt.synced', () => { relayout.hidden = false; });
  // After a reconnect take the current statuses, keeping the layout (and any layout under way).
  ctx.onReconnect = async () => {
    if (!cy) return;
    try {
      const g = await api('/api/graph');
      if (!ctx.alive) return;
      for (const n of g.nodes || []) {
        const node = cy.getElementById(n.id);
        if (node.nonempty()) node.data({ status: n.status, ready: !!n.ready });
      }
    } catch (e) { console.warn(e); }
  };

  const [graph] = await Promise.all([api('/api/graph'), loadLibs()]);
  if (!ctx.alive) return;
  const count = (graph.nodes || []).length;
  info.textContent = `laying out ${count} tasks…${count > WORKER_ABOVE ? ' (a big plan can take a while)' : ''}`;
  // Let the message paint: dagre blocks the page while it works (small plans only).
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  if (!ctx.alive) return;

  const big = count > WORKER_ABOVE;
  cy = window.cytoscape({
    container: box, elements: elements(graph), style: style(), layout: { name: 'null' },
    minZoom: 0.05, maxZoom: 3, boxSelectionEnabled: false, autoungrabify: true,
    textureOnViewport: big, hideEdgesOnViewport: big, pixelRatio: big ? 1 : 'auto',
  });
  ctx.cleanup(() => cy.destroy());
  early.splice(0).forEach(recolour);

  window.orch.cy = cy;   // for the console and the browser tests
  ctx.cleanup(() => { if (window.orch.cy === cy) window.orch.cy = null; });
  if (count > WORKER_ABOVE) await layoutInWorker(cy, ctx);
  else await runLayout(cy, { name: 'dagre', ...LAYOUT });
  if (!ctx.alive) return;
  box.dataset.nodes = String(cy.nodes().length);
  const cp = graph.critical_path || [];
  info.textContent = `${count} tasks · critical path ${cp.length}: ${cp.slice(0, 6).join(' → ')}${cp.length > 6 ? ' → …' : ''}`;

  cy.on('tap', 'node', (e) => { location.hash = `#/task/${enc(e.target.id())}`; });
  cy.on('mouseover', 'node', (e) => {
    const d = e.target.data();
    info.textContent = `${d.id} · ${label(d.status)}${d.ready ? ' · ready' : ''} · ${d.title}`;
    box.style.cursor = 'pointer';
  });
  cy.on('mouseout', 'node', () => { box.style.cursor = ''; });
  fit.addEventListener('click', () => cy.fit(undefined, 20));
  find.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const q = find.value.trim().toLowerCase();
    const hit = cy.nodes().filter((n) => n.id().toLowerCase().includes(q)
      || n.data('title').toLowerCase().includes(q)).first();
    if (!q || hit.empty()) return;
    cy.nodes().unselect();
    hit.select();
    cy.animate({ center: { eles: hit }, zoom: Math.max(cy.zoom(), 1) }, { duration: 300 });
  });
  relayout.addEventListener('click', () => {
    // A new plan means new nodes and a new critical path: mount the page again.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}
