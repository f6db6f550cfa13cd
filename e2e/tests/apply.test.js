'use strict';
// The applicant's journey in the GOV.UK manner, in Chinese and English at
// 1280 and 360 px: the start page carries the qualification through
// signing up; the picker finds G7 for "CFA" with the real search; an
// empty first submit lists every missing field at once in a summary that
// takes the focus; an upload in the middle of a half-filled form keeps
// every field; a file is removed; check your answers needs the
// declaration. Screenshots and axe of the start page, the form with
// errors and check your answers.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { setup, text, axe, describeViolations, overflow, SHOTS } = require('../lib/harness');

const PASSWORD = 'correct horse battery';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const WORDS = {
  en: { start: /Start now/, request: /Sign in/, summary: /Please check the following/, removed: /The file was removed/, declaration: /Tick the box/ },
  zh: { start: /开始申请/, request: /登录/, summary: /./, removed: /文件已删除/, declaration: /请勾选声明/ },
};

/** Screenshot `name` and check that the page does not scroll sideways at 360 px. */
async function look(page, name, width) {
  await page.evaluate(() => document.fonts.ready);
  if (width === 360) {
    const m = await overflow(page, 360);
    assert.ok(m.scrollWidth <= 360, `${name} scrolls sideways at 360 px: ${m.wide.join(', ')}`);
  }
  await page.screenshot({ path: path.join(SHOTS, `${name}-${width === 360 ? 'phone' : 'desktop'}.png`), fullPage: true });
}

/** axe on the page as it is (with its errors shown). */
async function clean(page, label) {
  const v = await axe(page, null, null);
  assert.equal(v.length, 0, `${label}: ${describeViolations(v)}`);
}

describe('the application journey', () => {
  let h;
  let g7;
  before(async () => {
    h = await setup();
    fs.mkdirSync(SHOTS, { recursive: true });
    const page = await h.page();
    const r = await page.request.get('/api/v1/search?q=G7&limit=1');
    g7 = (await r.json()).hits[0].id;
    await page.context().close();
  });
  after(async () => { if (h) await h.teardown(); });

  for (const lang of ['zh', 'en']) {
    for (const width of [1280, 360]) {
      it(`start, picker, all errors at once, upload mid-form, remove, check your answers (${lang}, ${width} px)`, async () => {
        const w = WORDS[lang];
        const page = await h.page({ lang, width, height: width === 360 ? 740 : 900 });
        const shot = (name) => `apply-${name}-${lang}`;

        // The start page, signed out: what is needed, and the way back here.
        await page.goto(`/apply?entry=${g7}&lang=${lang}`);
        assert.match(await text(page.locator('.start .chosen')), /G7/);
        assert.match(await text(page.locator('ul.need')), /10 MB/);
        assert.equal(await page.locator('main a[href="/privacy"]').count(), 1);
        await look(page, shot('start'), width);
        await clean(page, 'start page');
        await Promise.all([page.waitForURL(/\/register/), page.click('main a[href^="/register?next="]')]);
        await page.fill('#email', `ada-${lang}-${width}@example.org`);
        await page.fill('#password', PASSWORD);
        // "Check your e-mail" (the same for a taken address), then sign in
        // and come back to the chosen qualification.
        await page.click('main button[type="submit"]');
        await page.waitForSelector('main .panel h1');
        await look(page, shot('check-email'), width);
        await clean(page, 'check your e-mail');
        await Promise.all([page.waitForURL(/\/login\?next=/), page.click('main a.button[href^="/login?next="]')]);
        await page.fill('#email', `ada-${lang}-${width}@example.org`);
        await page.fill('#password', PASSWORD);
        await Promise.all([page.waitForURL(/\/apply\?entry=/), page.click('main button[type="submit"]')]);
        assert.match(await text(page.locator('main button.start-button')), w.start);
        await Promise.all([page.waitForURL(/\/applications\/\d+$/), page.click('main button.start-button')]);
        assert.equal(await page.inputValue('#entry'), 'G7', 'the qualification was carried through');
        const url = page.url();

        // The picker uses the real search: "CFA" offers G7 first.
        await page.fill('#entry', '');
        await page.locator('#entry').pressSequentially('CFA', { delay: 30 });
        await page.waitForSelector('#entry-options [role="option"]');
        assert.match(await text(page.locator('#entry-options [role="option"]').first()), /^G7 · /);
        assert.equal(await page.getAttribute('#entry', 'aria-expanded'), 'true');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        assert.equal(await page.inputValue('#entry'), 'G7');
        assert.match(page.url(), /\/applications\/\d+$/, 'Enter chose, it did not submit');

        // An empty first submit: every missing field at once, focused.
        await page.fill('#entry', '');
        await page.click('button[value="continue"]');
        await page.waitForSelector('#problems');
        assert.equal(await page.evaluate(() => document.activeElement.id), 'problems', 'the error summary has the focus');
        const listed = await page.locator('#problems li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        for (const href of ['#holder_name', '#entry', '#cert_number', '#cert_issuer', '#cert_issued_on', '#file']) {
          assert.ok(listed.includes(href), `${href} is listed: ${listed.join(' ')}`);
        }
        assert.ok(await page.locator('.field-error').count() >= 5, 'each message is at its field');
        await look(page, shot('form-errors'), width);
        await clean(page, 'form with errors');

        // Upload in the middle of a half-filled form: every field kept.
        await page.fill('#holder_name', 'Ada Lovelace');
        await page.fill('#entry', 'G7');
        await page.fill('#cert_number', 'CFA-2020-12345');
        await page.fill('#cert_issued_on', '1');
        await page.fill('#cert_issued_on-month', '5');
        await page.fill('#cert_issued_on-year', '2020');
        await page.setInputFiles('#file', { name: 'certificate.pdf', mimeType: 'application/pdf', buffer: PDF });
        await Promise.all([page.waitForURL(/done=uploaded/), page.click('button[value="upload"]')]);
        assert.equal(await page.inputValue('#holder_name'), 'Ada Lovelace');
        assert.equal(await page.inputValue('#entry'), 'G7');
        assert.equal(await page.inputValue('#cert_number'), 'CFA-2020-12345');
        assert.equal(await page.inputValue('#cert_issued_on-year'), '2020');
        assert.match(await text(page.locator('#evidence ul.files')), /certificate\.pdf/);

        // A second file, removed again.
        await page.setInputFiles('#file', { name: 'extra.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.from('x')]) });
        await Promise.all([page.waitForURL(/done=uploaded/), page.click('button[value="upload"]')]);
        await Promise.all([page.waitForURL(/done=removed/), page.locator('#evidence li', { hasText: 'extra.pdf' }).locator('button').click()]);
        assert.match(await text(page.locator('.notice').first()), w.removed);
        assert.doesNotMatch(await text(page.locator('#evidence')), /extra\.pdf/);

        // The rest, then check your answers.
        await page.fill('#cert_issuer', 'CFA Institute');
        await page.fill('#age', '40');
        await page.selectOption('#nationality', 'foreign');
        await page.selectOption('#beijing_employer', 'true');
        await Promise.all([page.waitForURL(/\/check$/), page.click('button[value="continue"]')]);
        assert.match(await text(page.locator('dl.answers').first()), /Ada Lovelace/);
        assert.ok(await page.locator('dl.answers a[href$="#holder_name"]').count() === 1, 'a Change link to the field');
        await look(page, shot('check-answers'), width);
        await clean(page, 'check your answers');
        await page.click('form.declaration button[type="submit"]');
        await page.waitForSelector('#problems');
        assert.match(await text(page.locator('#problems')), w.declaration);
        assert.equal(await page.evaluate(() => document.activeElement.id), 'problems');
        await look(page, shot('check-answers-error'), width);
        await page.check('#declaration');
        await Promise.all([page.waitForURL(/done=submitted/), page.click('form.declaration button[type="submit"]')]);
        assert.equal(await page.locator('#details').count(), 0, 'submitted: read-only');
        assert.ok(page.url().startsWith(url));
        await page.context().close();
      });
    }
  }
});
