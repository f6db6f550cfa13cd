'use strict';
// Starts the already-built Zige server (builds nothing) on a free loopback
// port with a fresh data directory, and launches Debian's Chromium through
// playwright-core. Every test file calls setup() once and teardown() after.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const totp = require('./totp');

const E2E = path.resolve(__dirname, '..');
const BIN = path.resolve(E2E, process.env.ZIGE_BIN || '../target/release/zige');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(E2E, 'screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(base, child, log, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`zige exited with ${child.exitCode} before it was ready:\n${log()}`);
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) return;
    } catch { /* not listening yet */ }
    await sleep(50);
  }
  throw new Error(`zige was not healthy within ${timeoutMs} ms:\n${log()}`);
}

/** Starts the server (with `args` added to `zige serve`); returns { base, stop }. Tries a few ports in case of a race. */
async function startServer({ args = [] } = {}) {
  if (!fs.existsSync(BIN)) throw new Error(`no server binary at ${BIN}: build it with \`cargo build --release -p zige-cli\` or set ZIGE_BIN`);
  let lastErr;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zige-e2e-'));
    const child = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ZIGE_LOG: process.env.ZIGE_LOG || 'warn', NO_COLOR: '1' },
    });
    let out = '';
    const keep = (b) => { out = (out + b.toString()).slice(-8000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const base = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    try {
      await waitHealthy(base, child, () => out);
      return { base, stop, log: () => out, dataDir };
    } catch (e) {
      lastErr = e;
      await stop();
    }
  }
  throw lastErr;
}

function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A server (with `args` added to `zige serve`) and a browser for one test file. */
async function setup({ args = [] } = {}) {
  const server = await startServer({ args });
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    base: server.base,
    server,
    browser,
    /** The server's data directory, for the `zige` command beside it. */
    dataDir: server.dataDir,
    /** Runs `zige ARGS --data-dir DIR` on the server's data directory; `input` goes to stdin. */
    zige(args, input = '') {
      return runZige([...args, '--data-dir', server.dataDir], input);
    },
    /** A fresh context (no cookies) and page; lang picks Accept-Language. */
    async page({ lang = 'zh', width = 1280, height = 900, javaScriptEnabled = true } = {}) {
      const context = await browser.newContext({
        baseURL: server.base,
        viewport: { width, height },
        locale: lang === 'en' ? 'en-US' : 'zh-CN',
        javaScriptEnabled,
      });
      context.setDefaultTimeout(10000);
      const page = await context.newPage();
      return page;
    },
    async teardown() {
      try { if (browser) await browser.close(); } finally { await server.stop(); }
    },
  };
}

/** Runs the zige binary to completion: { status, stdout, stderr }. */
function runZige(args, input = '') {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const AXE = require.resolve('axe-core/axe.min.js');

/** axe-core's violations, one paragraph each, for an assertion message. */
function describeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n');
    return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length}) ${v.helpUrl}\n${nodes}`;
  }).join('\n');
}

/**
 * Loads axe-core into the page. Through the DevTools protocol, not a
 * <script> tag: the pages' Content-Security-Policy forbids inline script,
 * as it should, and the test must not loosen it.
 */
async function injectAxe(page) {
  await page.evaluate(fs.readFileSync(AXE, 'utf8'));
}

/** Goes to `url` in `lang` (or stays, without a url) and runs axe; returns the violations. */
async function axe(page, url, lang) {
  if (url) {
    const sep = url.includes('?') ? '&' : '?';
    await page.goto(`${url}${sep}lang=${lang}`);
  }
  await injectAxe(page);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations;
}

/** The page's scroll width and the elements reaching past `width`. */
async function overflow(page, width) {
  return page.evaluate((width) => {
    const se = document.scrollingElement;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && getComputedStyle(el).position !== 'absolute')
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.replace(/ /g, '.') : ''} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: se.scrollWidth, wide };
  }, width);
}

/**
 * axe on each page ([who, url]: the browser page allowed to see it, and the
 * address) in `lang`; the violations found, one paragraph a page.
 */
async function axePages(who, pages, lang) {
  const found = [];
  for (const [role, url] of pages) {
    const v = await axe(who[role], url, lang);
    if (v.length) found.push(`${url} (${lang}):\n${describeViolations(v)}`);
  }
  return found;
}

/**
 * Each page ([who, url, name]) in `lang` at 360 px and at 1280 px, saved as
 * `${prefix}-${name}-${lang}-phone.png` and `-desktop.png`; the pages that
 * scroll sideways on the phone, with their widest elements.
 */
async function phonePages(who, pages, lang, prefix) {
  const wide = [];
  for (const [role, url, name] of pages) {
    const page = who[role];
    const at = `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(at);
    await page.evaluate(() => document.fonts.ready);
    const m = await overflow(page, 360);
    if (m.scrollWidth > 360) wide.push(`${url}: scrollWidth ${m.scrollWidth}; ${m.wide.join(', ')}`);
    await page.screenshot({ path: path.join(SHOTS, `${prefix}-${name}-${lang}-phone.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(at);
    await page.screenshot({ path: path.join(SHOTS, `${prefix}-${name}-${lang}-desktop.png`), fullPage: true });
  }
  return wide;
}

/**
 * Signs in through the form (in English); lands on /my. Staff created with
 * `--with-totp` (see `rememberTotp`) give a code at the second step.
 */
async function signIn(page, email, password) {
  await page.goto('/login?lang=en');
  await page.fill('#email', email);
  await page.fill('#password', password);
  if (totp.has(email)) {
    await Promise.all([page.waitForURL(/\/login\/second-factor/), page.click('main button[type="submit"]')]);
    await page.fill('#code', await totp.codeFor(email));
  }
  // Each role lands on its daily work: applicants their applications,
  // reviewers the queue, admins administration.
  await Promise.all([page.waitForURL(/\/(my|review|admin\/users)$/), page.click('main button[type="submit"]')]);
}

/** Visible text of a locator with whitespace collapsed. */
async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

const rememberTotp = totp.remember;

module.exports = { rememberTotp, setup, injectAxe, startServer, launchBrowser, runZige, text, axe, axePages, phonePages, describeViolations, overflow, signIn, SHOTS, E2E, BIN, CHROMIUM_ARGS };
