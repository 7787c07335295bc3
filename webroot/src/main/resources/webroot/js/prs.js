// #/prs — pull requests, flagged first, with merge and reject (the reject reason is asked for inline).
import { h, fill, api, chip, taskLink, empty, timeEl, fmtUsd, fmtTokens, toast } from './util.js';
import { actionButton, cmd } from './bus.js';

const STATES = ['open', 'flagged', 'merged', 'closed'];
const PR_EVENTS = ['orch.prbot.evt.opened', 'orch.prbot.evt.merged', 'orch.prbot.evt.flagged',
  'orch.prbot.evt.fixing'];

export async function mountPrs(root, ctx) {
  const wantedPr = Number(ctx.query.get('pr')) || 0;
  let state = ctx.query.get('state') || '';
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const list = h('div', { class: 'pr-list' });
  root.append(h('div', { class: 'page-head' }, h('h1', null, 'Pull requests')), tabs, list);

  const prs = new Map();   // number -> PullRequestView
  const cards = new Map(); // number -> element

  // Flagged first, then newest: the order GET /api/prs answers in, kept when events arrive.
  const ordered = () => [...prs.values()].sort((a, b) =>
    (b.state === 'flagged') - (a.state === 'flagged') || (b.created_at || 0) - (a.created_at || 0)
      || b.number - a.number);

  const renderTabs = () => {
    const count = (s) => [...prs.values()].filter((p) => !s || p.state === s).length;
    fill(tabs, ['', ...STATES].map((s) => h('button', {
      type: 'button', class: s === state ? 'tab active' : 'tab', role: 'tab',
      onclick: () => { state = s; ctx.setQuery({ state: s }); renderList(); },
    }, `${s || 'all'} `, h('span', { class: 'muted' }, count(s)))));
  };
  const renderList = () => {
    renderTabs();
    const shown = ordered().filter((p) => !state || p.state === state);
    fill(list, shown.map((p) => cards.get(p.number)));
    if (!shown.length) list.append(empty(state ? `No ${state} pull request.` : 'No pull request yet.'));
  };
  const upsert = (pr) => {
    if (!pr || pr.number == null) return;
    prs.set(pr.number, pr);
    const old = cards.get(pr.number);
    const card = prCard(pr, () => reloadOne(pr.number));
    keepRejectForm(old, card);
    cards.set(pr.number, card);
    renderList();
  };
  const reloadOne = async (n) => {
    try { upsert(await api(`/api/prs/${n}`)); } catch (e) { toast(e.message); }
  };

  for (const a of PR_EVENTS) ctx.on(a, upsert);
  ctx.on('orch.prbot.evt.failed', (f) =>
    toast(`${f.task_id}: run ${f.run_id} made no pull request: ${f.reason}`, 'warn'));

  const all = await api('/api/prs');
  if (!ctx.alive) return;
  for (const pr of all || []) {
    prs.set(pr.number, pr);
    cards.set(pr.number, prCard(pr, () => reloadOne(pr.number)));
  }
  renderList();
  const target = cards.get(wantedPr);
  if (target) {
    target.classList.add('highlight');
    target.scrollIntoView({ block: 'center' });
  }
}

/** A person typing a reason must not lose it when an event re-renders the card. */
function keepRejectForm(oldCard, newCard) {
  const oldForm = oldCard?.querySelector('form.reject');
  const newForm = newCard.querySelector('form.reject');
  if (!oldForm || oldForm.hidden || !newForm) return;
  newForm.hidden = false;
  newForm.querySelector('[data-reject-reason]').value = oldForm.querySelector('[data-reject-reason]').value;
}

/** One pull request; `changed` is called after a command succeeds (the events also update the list). */
export function prCard(pr, changed = () => {}) {
  const actionable = pr.state === 'open' || pr.state === 'flagged';
  const reason = h('input', { type: 'text', 'data-reject-reason': '', placeholder: 'what the agent should change',
    'aria-label': 'reason' });
  const form = h('form', { class: 'reject', hidden: true },
    reason,
    h('button', { type: 'submit', 'data-action': 'reject-confirm', class: 'danger' }, 'Send back'),
    h('button', { type: 'button', onclick: () => { form.hidden = true; } }, 'Cancel'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = reason.value.trim();
    if (!text) { toast('a reason is required to reject'); reason.focus(); return; }
    const ok = form.querySelector('[data-action="reject-confirm"]');
    ok.disabled = true;
    const reply = await cmd.reject(pr.number, text);
    ok.disabled = false;
    if (reply) { form.hidden = true; reason.value = ''; changed(reply); }
  });

  const checksBad = /\b(fail(ed|ing|ure|s)?|errors?)\b|✗/i.test(pr.checks || '');
  return h('article', { class: `card pr st-${pr.state}`, 'data-pr': pr.number, 'data-pr-state': pr.state },
    h('header', { class: 'pr-head' },
      h('span', { class: 'pr-num' }, `#${pr.number}`),
      h('span', { class: 'pr-title' }, pr.title || pr.branch || ''),
      chip(pr.state), pr.stage && pr.stage !== 'done' ? h('span', { class: 'chip stage' }, pr.stage) : null),
    h('div', { class: 'meta' },
      taskLink(pr.task_id),
      pr.run_id ? h('a', { href: `#/run/${pr.run_id}` }, `run #${pr.run_id}`) : null,
      pr.branch ? h('code', null, pr.branch) : null,
      timeEl(pr.created_at, true),
      pr.cost_usd ? h('span', null, fmtUsd(pr.cost_usd)) : null,
      pr.tokens ? h('span', null, `${fmtTokens(pr.tokens)} tokens`) : null,
      pr.fix_rounds ? h('span', null, `${pr.fix_rounds} fix round(s)`) : null,
      pr.url ? h('a', { href: pr.url, target: '_blank', rel: 'noopener' }, `remote #${pr.remote_number || ''}`) : null),
    pr.reason ? h('div', { class: pr.state === 'flagged' ? 'notice' : 'why' }, pr.reason) : null,
    pr.waiting_for ? h('div', { class: 'notice', 'data-waiting-for': '' }, h('strong', null, 'waits for '), pr.waiting_for)
      : null,
    pr.routing ? h('div', { class: 'why' }, h('strong', null, 'routing: '), pr.routing) : null,
    (pr.labels || []).length ? h('div', { class: 'labels' }, pr.labels.map((l) => h('span', { class: 'label' }, l))) : null,
    h('div', { class: 'diff' },
      h('span', null, `${pr.files_changed || 0} file(s)`),
      h('span', { class: 'add' }, `+${pr.additions || 0}`), h('span', { class: 'del' }, `−${pr.deletions || 0}`),
      pr.diff_stat ? h('details', null, h('summary', null, 'diff stat'), h('pre', null, pr.diff_stat)) : null),
    pr.body ? h('details', { class: 'pr-body' }, h('summary', null, 'description'), h('div', { class: 'why' }, pr.body))
      : null,
    pr.checks ? h('div', { class: `checks ${checksBad ? 'bad' : ''}` }, h('strong', null, 'checks: '), pr.checks) : null,
    actionable ? h('div', { class: 'actions' },
      actionButton('Merge', 'merge', async () => {
        const reply = await cmd.merge(pr.number, false);
        if (reply) changed(reply);
      }, 'primary'),
      actionButton('Reject', 'reject', async () => {
        form.hidden = false;
        reason.focus();
      })) : null,
    actionable ? form : null);
}
