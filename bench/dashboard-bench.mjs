// The dashboard's figures in headless Chromium (docs/benchmarks.md): time to an interactive page, and how long bus
// events take to reach the browser. Run by bench/dashboard-bench.sh against an orch with 1,000 tasks and 20 agents
// streaming logs. Usage: node bench/dashboard-bench.mjs URL [loads=7] [listen_seconds=20]
import { createRequire } from 'node:module';
import path from 'node:path';

const modules = process.env.ORCH_TEST_PLAYWRIGHT || path.resolve('.ci/tools/playwright/node_modules');
const { chromium } = createRequire(path.join(modules, 'noop.js'))('playwright-core');
const [base, loadsArg, listenArg] = process.argv.slice(2);
const loads = Number(loadsArg || 7);
const listenSeconds = Number(listenArg || 20);

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const summary = values => `median ${pct(values, 50).toFixed(0)} ms, p90 ${pct(values, 90).toFixed(0)} ms, `
  + `min ${Math.min(...values).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms (${values.length} loads)`;

const browser = await chromium.launch({
  executablePath: process.env.ORCH_TEST_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  // A fresh context per load: nothing cached, as when a person opens the dashboard.
  async function timeToReady(route) {
    const times = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(base + '/' + route);
      await page.waitForFunction(() => window.orch && window.orch.ready === true, null, { timeout: 30000, polling: 'raf' });
      times.push(Date.now() - started);
      await context.close();
    }
    return times;
  }
  const overview = await timeToReady('#/');
  console.log(`| time to an interactive overview | ${summary(overview)} |`);
  const tasks = await timeToReady('#/tasks');
  console.log(`| time to an interactive task table (all tasks) | ${summary(tasks)} |`);
  const graph = await timeToReady('#/graph');
  console.log(`| time to a laid-out dependency graph | ${summary(graph)} |`);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/#/');
  await page.waitForFunction(() => window.orch && window.orch.ready === true, null, { timeout: 30000 });
  await page.waitForFunction(() => window.orch.bus && window.orch.bus.state === 1, null, { timeout: 30000 });
  const delays = await page.evaluate(seconds => new Promise(resolve => {
    const seen = [];
    window.orch.bus.registerHandler('orch.executor.evt.output', (err, message) => {
      if (!err && message.body && message.body.at) seen.push(Date.now() - message.body.at);
    });
    setTimeout(() => resolve(seen), seconds * 1000);
  }), listenSeconds);
  if (!delays.length) throw new Error('no agent output reached the browser');
  console.log(`| bus to browser, agent output events | p50 ${pct(delays, 50)} ms, p99 ${pct(delays, 99)} ms, `
    + `max ${Math.max(...delays)} ms over ${delays.length} events in ${listenSeconds} s |`);
  await context.close();
} finally {
  await browser.close();
}
