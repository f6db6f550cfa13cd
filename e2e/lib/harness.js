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

/** Starts the server; returns { base, stop }. Tries a few ports in case of a race. */
async function startServer() {
  if (!fs.existsSync(BIN)) throw new Error(`no server binary at ${BIN}: build it with \`cargo build --release -p zige-cli\` or set ZIGE_BIN`);
  let lastErr;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zige-e2e-'));
    const child = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir], {
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

/** A server and a browser for one test file. */
async function setup() {
  const server = await startServer();
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

/** Visible text of a locator with whitespace collapsed. */
async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

module.exports = { setup, startServer, launchBrowser, runZige, text, SHOTS, E2E, BIN, CHROMIUM_ARGS };
