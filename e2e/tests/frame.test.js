'use strict';
// The frame every page shares, as a careful reader meets it: table cells
// never break a word or a code (measured on the rendered text, not the
// CSS), the language switch keeps a live search, the signed-in header is
// compact on a phone, and the privacy notice and the API reference read in
// both languages.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { rememberTotp, setup, axe, describeViolations, overflow, SHOTS } = require('../lib/harness');
const totp = require('../lib/totp');

const ADMIN = 'frame-admin@example.org';
const PASSWORD = 'frame admin password';
const SIZES = [['phone', 360, 740], ['desktop', 1280, 900]];

/**
 * Words in table cells that the browser laid out over more than one line:
 * a run of Chinese characters (kept together up to punctuation or a
 * space) or of letters and digits. Hyphens, slashes and spaces are where
 * lines may break.
 */
async function brokenWords(page) {
  return page.evaluate(() => {
    const broken = [];
    const word = /[\p{Script=Han}]+|[\p{L}\p{N}_]+(?:[.'’][\p{L}\p{N}_]+)*/gu;
    for (const cell of document.querySelectorAll('main td, main th')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.textContent.matchAll(word)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
          if (tops.size > 1) broken.push(`${m[0]} (in "${cell.textContent.trim().slice(0, 40)}")`);
        }
      }
    }
    return broken;
  });
}

async function signInAdmin(page) {
  await page.goto('/login?lang=en');
  await page.fill('#email', ADMIN);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/login\/second-factor/), page.click('main button[type="submit"]')]);
  await page.fill('#code', await totp.codeFor(ADMIN));
  await Promise.all([page.waitForURL((url) => !/\/login/.test(url.pathname)), page.click('main button[type="submit"]')]);
}

describe('the frame of every page', () => {
  let h;
  let admin;

  before(async () => {
    h = await setup();
    fs.mkdirSync(SHOTS, { recursive: true });
    const r = h.zige(['admin', 'create-user', '--email', ADMIN, '--role', 'admin', '--password-stdin', '--with-totp'], `${PASSWORD}\n`);
    assert.equal(r.status, 0, `zige admin create-user: ${r.stderr}`);
    rememberTotp(ADMIN, r.stdout);
    admin = await h.page({ lang: 'en' });
    await signInAdmin(admin);
  });
  after(async () => { if (h) await h.teardown(); });

  for (const lang of ['zh', 'en']) {
    for (const [size, width, height] of SIZES) {
      it(`no table cell breaks a word in browse, the API page, the privacy notice or the audit log (${lang}, ${width} px)`, async () => {
        await admin.setViewportSize({ width, height });
        for (const url of ['/browse', '/data', '/privacy', '/admin/audit']) {
          await admin.goto(`${url}?lang=${lang}`);
          await admin.evaluate(() => document.fonts.ready);
          assert.ok(await admin.locator('main td').count() > 0, `${url} has a table`);
          const broken = await brokenWords(admin);
          assert.deepEqual(broken, [], `${url} (${lang}, ${size}) breaks words: ${broken.slice(0, 8).join('; ')}`);
          const m = await overflow(admin, width);
          assert.ok(m.scrollWidth <= width, `${url} (${lang}, ${size}) scrolls sideways: ${m.wide.join(', ')}`);
        }
      });
    }

    it(`the language switch keeps a live search (${lang})`, async () => {
      const page = await h.page({ lang });
      await page.goto(`/?lang=${lang}`);
      await page.fill('#q', 'teacher');
      await page.waitForURL(/\/search\?q=teacher/);
      await page.locator('#results ol.hits li').first().waitFor();
      const other = lang === 'zh' ? 'en' : 'zh';
      await Promise.all([page.waitForURL(new RegExp(`q=teacher.*lang=${other}`)), page.click('header a.lang')]);
      assert.equal(await page.inputValue('#q'), 'teacher');
      assert.ok((await page.getAttribute('html', 'lang')).startsWith(other));
      assert.ok(await page.locator('#results ol.hits li').count() > 0, 'the results are still shown');
      await page.context().close();
    });

    it(`the signed-in header is compact on a phone, with the menu behind a button (${lang})`, async () => {
      await admin.setViewportSize({ width: 360, height: 740 });
      await admin.goto(`/browse?lang=${lang}`);
      const header = await admin.locator('header.site').boundingBox();
      assert.ok(header.height <= 80, `header is ${header.height} px tall`);
      const button = admin.locator('header .menu-toggle');
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      assert.equal(await admin.locator('#site-menu').isVisible(), false);
      await button.click();
      assert.equal(await button.getAttribute('aria-expanded'), 'true');
      assert.ok(await admin.locator('#site-menu a[href="/admin/users"]').isVisible(), 'the admin link is in the menu');
      await admin.screenshot({ path: path.join(SHOTS, `frame-menu-${lang}-phone.png`) });
      await admin.setViewportSize({ width: 1280, height: 900 });
      assert.equal(await button.isVisible(), false, 'no menu button on a wide screen');
      assert.ok(await admin.locator('#site-menu').isVisible(), 'the menu is shown on a wide screen');
    });

    it(`the privacy notice says what is kept, why, how long and who sees it (${lang})`, async () => {
      const page = await h.page({ lang });
      await page.goto(`/?lang=${lang}`);
      await Promise.all([page.waitForURL(/\/privacy/), page.click('footer a[href="/privacy"]')]);
      const heads = await page.locator('table.privacy thead th').allInnerTexts();
      assert.deepEqual(heads, lang === 'zh' ? ['内容', '用途', '保存期限', '谁能看到'] : ['What', 'Why', 'How long', 'Who sees it']);
      assert.ok(await page.locator('table.privacy tbody tr').count() >= 8);
      for (const [size, width, height] of SIZES) {
        await page.setViewportSize({ width, height });
        await page.reload();
        const m = await overflow(page, width);
        assert.ok(m.scrollWidth <= width, `privacy (${size}) scrolls sideways: ${m.wide.join(', ')}`);
        await page.screenshot({ path: path.join(SHOTS, `frame-privacy-${lang}-${size}.png`), fullPage: true });
      }
      const v = await axe(page, null, lang);
      assert.deepEqual(v, [], describeViolations(v));
      await page.context().close();
    });

    it(`the API page describes every operation in the page's language (${lang})`, async () => {
      const page = await h.page({ lang });
      await page.goto(`/data?lang=${lang}`);
      const rows = await page.locator('table.api tbody tr').count();
      const described = await page.locator('table.api tbody tr td:nth-child(3)').allInnerTexts();
      assert.equal(described.filter((d) => d.trim().length > 5).length, rows, 'every operation has a description');
      const han = described.filter((d) => /\p{Script=Han}/u.test(d)).length;
      assert.equal(han, lang === 'zh' ? rows : 0, 'descriptions are in the page language');
      for (const [size, width, height] of SIZES) {
        await page.setViewportSize({ width, height });
        await page.screenshot({ path: path.join(SHOTS, `frame-api-${lang}-${size}.png`), fullPage: true });
      }
      await page.context().close();
    });
  }
});
