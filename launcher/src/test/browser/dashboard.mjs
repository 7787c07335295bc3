// Drives the dashboard in Debian's headless Chromium through playwright-core, for DashboardIT.
// Env: ORCH_URL (the dashboard), ORCH_TEST_PLAYWRIGHT (a node_modules holding playwright-core),
// ORCH_TEST_CHROMIUM (default /usr/bin/chromium), SHOTS (where screenshots go), TASK_RUNNING, FLAGGED_TASK.
// Prints one line per check ("ok NAME" / "not ok NAME: why") and exits non-zero when any failed.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.ORCH_TEST_PLAYWRIGHT, 'noop.js'));
const { chromium } = require('playwright-core');

const base = process.env.ORCH_URL;
const shots = process.env.SHOTS;
const runningTask = process.env.TASK_RUNNING;
const flaggedTask = process.env.FLAGGED_TASK;
let failures = 0;
// Never hang the build: a stuck step fails the run.
setTimeout(() => { console.log('not ok the browser run took over 4 minutes'); process.exit(2); }, 240_000).unref();

async function check(name, body) {
  try {
    await body();
    console.log(`ok ${name}`);
  } catch (e) {
    failures++;
    console.log(`not ok ${name}: ${String(e && e.stack || e).split('\n').slice(0, 4).join(' | ')}`);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.ORCH_TEST_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors = [];
  page.on('pageerror', e => consoleErrors.push(String(e)));

  await check('the page loads and says the bridge is open', async () => {
    await page.goto(base + '/#/tasks');
    await page.waitForFunction(() => window.orch && window.orch.ready === true, null, { timeout: 15000 });
    await page.waitForSelector('[data-bridge="open"], [data-bridge]:text("open")', { timeout: 15000 });
    await page.screenshot({ path: path.join(shots, 'tasks.png'), fullPage: true });
  });

  await check('a task moves from running to complete without a reload', async () => {
    await page.evaluate(() => { window.__sameDocument = true; });
    await page.waitForSelector(`tr[data-task-id="${runningTask}"][data-status="running"]`, { timeout: 60000 });
    await page.screenshot({ path: path.join(shots, 'task-running.png'), fullPage: true });
    await page.waitForSelector(`tr[data-task-id="${runningTask}"][data-status="complete"]`, { timeout: 90000 });
    const same = await page.evaluate(() => window.__sameDocument === true);
    if (!same) throw new Error('the page reloaded');
    await page.screenshot({ path: path.join(shots, 'task-complete.png'), fullPage: true });
  });

  await check('a run page shows the agent log', async () => {
    await page.click(`tr[data-task-id="${runningTask}"] a`);
    await page.waitForFunction(() => window.orch.ready === true && location.hash.startsWith('#/task/'), null, { timeout: 15000 });
    await page.click('a[href^="#/run/"]');
    await page.waitForSelector('[data-run-log] [data-event-kind="tool-call"]', { timeout: 15000 });
    await page.waitForSelector('[data-run-status]', { timeout: 5000 });
    await page.screenshot({ path: path.join(shots, 'run.png'), fullPage: true });
  });

  await check('a flagged pull request is merged by clicking', async () => {
    await page.goto(base + '/#/prs');
    await page.waitForFunction(() => window.orch.ready === true && location.hash === '#/prs', null, { timeout: 15000 });
    const flagged = page.locator('[data-pr][data-pr-state="flagged"]').first();
    await flagged.waitFor({ timeout: 60000 });
    const number = await flagged.getAttribute('data-pr');
    await page.screenshot({ path: path.join(shots, 'prs-flagged.png'), fullPage: true });
    await flagged.locator('button[data-action="merge"]').click();
    await page.waitForSelector(`[data-pr="${number}"][data-pr-state="merged"]`, { timeout: 60000 });
    await page.screenshot({ path: path.join(shots, 'prs-merged.png'), fullPage: true });
  });

  await check('the overview charts tasks completed and spend with uPlot', async () => {
    await page.goto(base + '/#/');
    await page.waitForFunction(() => window.orch.ready === true, null, { timeout: 15000 });
    for (const chart of ['completed', 'spend_usd']) {
      await page.waitForSelector(`[data-chart="${chart}"] .uplot canvas`, { timeout: 20000 });
    }
    // The merge above completed a task: its bucket shows it once the history is read again.
    await page.waitForFunction(() => {
      const done = document.querySelector('[data-chart="completed"]');
      const spent = document.querySelector('[data-chart="spend_usd"]');
      return Number(done?.dataset.points) > 0 && Number(done.dataset.total) >= 1 && Number(spent?.dataset.total) > 0;
    }, null, { timeout: 30000 });
    await page.screenshot({ path: path.join(shots, 'overview-charts.png'), fullPage: true });
  });

  await check('a send to an address the bridge does not permit is refused', async () => {
    // The bridge answers a refused send with an error frame that names no reply address, so the client hands it
    // to onerror rather than to the send's callback.
    const answers = await page.evaluate(async () => {
      const eb = window.orch.bus;
      const attempt = (address, action, body = {}) => new Promise(resolve => {
        const previous = eb.onerror;
        const done = answer => { clearTimeout(timer); eb.onerror = previous; resolve(answer); };
        const timer = setTimeout(() => done('no answer in 5 s'), 5000);
        eb.onerror = err => done(JSON.stringify(err));
        eb.send(address, body, { action }, (err, reply) => done(err ? JSON.stringify(err) : 'answered: ' + JSON.stringify(reply)));
      });
      return [await attempt('orch.parser.cmd', 'parse'), await attempt('orch.scheduler.cmd', 'sync'),
        await attempt('orch.scheduler.cmd', 'start', { ids: 'not a list' })];
    });
    if (!answers[0].includes('access_denied')) throw new Error('a non-permitted address was not refused: ' + answers[0]);
    if (!answers[1].includes('"rejected"')) throw new Error('a non-permitted action was not refused: ' + answers[1]);
    if (answers[2].includes('access_denied') || !answers[2].includes('failureCode":400')) {
      throw new Error('a permitted command with a bad body should reach its owner and be answered: ' + answers[2]);
    }
  });

  await check('the overview fits a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(base + '/#/');
    await page.waitForFunction(() => window.orch.ready === true, null, { timeout: 15000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.screenshot({ path: path.join(shots, 'overview-phone.png'), fullPage: true });
    if (overflow > 2) throw new Error(`the page is ${overflow}px wider than the phone`);
  });

  await check('the graph lays out the plan', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(base + '/#/graph');
    await page.waitForSelector('#graph[data-nodes]', { timeout: 20000 });
    await page.screenshot({ path: path.join(shots, 'graph.png'), fullPage: true });
  });

  await check('no script errors', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join('; '));
  });
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
