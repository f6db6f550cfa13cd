'use strict';
// Mail read from a real SMTP server (tools/smtp_sink.py on aiosmtpd): the
// verification link from the registration mail confirms the address; the
// forgotten-password journey sends a reset link, which the browser
// follows to set a new password and sign in with it; the same link a
// second time says it no longer works. In Chinese and English, at 360 and
// 1280 px, with axe and screenshots.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { setup, text, axe, describeViolations, overflow, SHOTS } = require('../lib/harness');

const SINK = path.join(__dirname, '..', '..', 'tools', 'smtp_sink.py');
const PYTHON = process.env.ZIGE_SMTP_PYTHON || '/usr/bin/python3';
const WORDS = {
  en: { confirmed: /Confirmed/, verified: /Your e-mail address is confirmed/, check: /Check your e-mail/, changed: /Your password has been changed/, used: /This link no longer works/, reset: /Set a new password/ },
  zh: { confirmed: /已确认/, verified: /您的电子邮箱已确认/, check: /请查收电子邮件/, changed: /您的密码已更改/, used: /此链接已失效/, reset: /设置新密码/ },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

/** Starts the SMTP sink; resolves when it listens. */
async function startSink(dir) {
  const port = await freePort();
  const child = spawn(PYTHON, [SINK, String(port), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (b) => { if (b.toString().includes('ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited with ${code}: is python3-aiosmtpd installed?`)));
  });
  return { port, stop: () => child.kill() };
}

/** The newest message to `to` whose subject matches, waiting for it. */
async function mailTo(dir, to, subject) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    const found = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()
      .map((n) => JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')))
      .filter((m) => m.rcpt.includes(to) && subject.test(m.subject));
    if (found.length) return found[found.length - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no message to ${to} matching ${subject}`);
}

/** The path of the first link to `prefix` in a message's text. */
function linkPath(message, prefix) {
  const m = message.text.match(new RegExp(`https?://\\S+${prefix}\\S+`));
  assert.ok(m, `no ${prefix} link in:\n${message.text}`);
  return new URL(m[0]).pathname;
}

async function look(page, name, width) {
  await page.evaluate(() => document.fonts.ready);
  if (width === 360) {
    const m = await overflow(page, 360);
    assert.ok(m.scrollWidth <= 360, `${name} scrolls sideways at 360 px: ${m.wide.join(', ')}`);
  }
  const v = await axe(page, null, null);
  assert.equal(v.length, 0, `${name}: ${describeViolations(v)}`);
  await page.screenshot({ path: path.join(SHOTS, `mail-${name}-${width === 360 ? 'phone' : 'desktop'}.png`), fullPage: true });
}

describe('mail: verification and password reset through the received links', () => {
  let h;
  let sink;
  const inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'zige-e2e-inbox-'));
  before(async () => {
    sink = await startSink(inbox);
    h = await setup({ args: ['--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--mail-from', 'Zige <noreply@zige.example.org>'] });
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    if (h) await h.teardown();
    if (sink) sink.stop();
    fs.rmSync(inbox, { recursive: true, force: true });
  });

  for (const [lang, width] of [['en', 1280], ['zh', 360], ['en', 360], ['zh', 1280]]) {
    it(`confirms the address, then resets the password from the mailed link (${lang}, ${width} px)`, async () => {
      const w = WORDS[lang];
      const email = `mei-${lang}-${width}@example.org`;
      const page = await h.page({ lang, width, height: width === 360 ? 740 : 900 });
      const r = await page.request.post('/api/v1/accounts', { data: { email, password: 'first password 1' } });
      assert.equal(r.status(), 202);

      // The registration mail's link confirms the address.
      const welcome = await mailTo(inbox, email, /Confirm your e-mail address/);
      await page.goto(`${linkPath(welcome, '/email-verification/')}?lang=${lang}`);
      assert.match(await text(page.locator('main h1')), w.verified);
      await look(page, `verified-${lang}`, width);

      // Forgotten password: the address, then "check your e-mail".
      await page.goto(`/login?lang=${lang}`);
      await Promise.all([page.waitForURL(/\/password-reset$/), page.click('main a[href="/password-reset"]')]);
      await page.fill('#email', email);
      await page.click('main button[type="submit"]');
      await page.waitForSelector('main .panel h1');
      assert.match(await text(page.locator('main h1')), w.check);
      await look(page, `reset-sent-${lang}`, width);

      // The mailed link: a new password, then sign in with it.
      const reset = await mailTo(inbox, email, /Set a new password/);
      const resetPath = linkPath(reset, '/password-reset/');
      await page.goto(resetPath);
      assert.match(await text(page.locator('main h1')), w.reset);
      await page.fill('#password', 'short');
      await page.click('main button[type="submit"]');
      await page.waitForSelector('.field-error');
      assert.equal(await page.getAttribute('#password', 'aria-invalid'), 'true');
      await look(page, `reset-error-${lang}`, width);
      await page.fill('#password', 'second password 2');
      await page.click('main button[type="submit"]');
      await page.waitForSelector('main .panel h1');
      assert.match(await text(page.locator('main h1')), w.changed);
      await look(page, `reset-done-${lang}`, width);
      await Promise.all([page.waitForURL(/\/login/), page.click('main a.button[href="/login"]')]);
      await page.fill('#email', email);
      await page.fill('#password', 'second password 2');
      await Promise.all([page.waitForURL(/\/my$/), page.click('main button[type="submit"]')]);

      // The account page: the confirmed address, the language of mail.
      await page.goto('/account');
      assert.match(await text(page.locator('main dl')), w.confirmed);
      await page.check('#language-' + lang);
      await Promise.all([page.waitForURL(/\/account\?done=preferences$/), page.click('form[action="/account/mail-preferences"] button')]);
      assert.equal(await page.isChecked('#language-' + lang), true);
      await look(page, `account-${lang}`, width);

      // The same link again: it has been used.
      await page.goto(resetPath);
      assert.match(await text(page.locator('main h1')), w.used);
      await look(page, `link-used-${lang}`, width);
      await page.context().close();
    });
  }
});
