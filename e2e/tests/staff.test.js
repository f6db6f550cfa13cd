'use strict';
// Staff pages for daily work and a decision that reads as the authority's:
// a reviewer lands on the queue, reads the case's summary with the decision
// form near the top, confirms before recording; the printed decision (a
// PDF from Chromium) names the issuing authority and carries no localhost
// link; an admin lands on administration, confirms before revoking and
// filters the audit log. In Chinese and English, at 360 and 1280 px, with
// axe and screenshots of the decision, case, confirmation and audit pages.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { rememberTotp, setup, text, axe, describeViolations, overflow, signIn, SHOTS } = require('../lib/harness');

const STAFF_PASSWORD = 'staff password 1';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const AUTHORITY = { zh: '北京市人力资源和社会保障局', en: 'Beijing Municipal Human Resources and Social Security Bureau' };
const WIDTHS = [['phone', 360, 740], ['desktop', 1280, 900]];

/** A submitted application of a fresh applicant, through the JSON API; its id. */
async function submittedCase(base, email, holder) {
  const json = (r) => r.json();
  const post = (url, body, token) => fetch(base + url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let r = await post('/api/v1/accounts', { email, password: 'correct horse battery', name: holder });
  assert.equal(r.status, 202, await r.text());
  const { token } = await json(await post('/api/v1/session', { email, password: 'correct horse battery' }));
  const form = {
    holder_name: holder,
    profile: { entry: 'G7', age: 40, nationality: 'foreign', beijing_employer: true },
    certificate: { number: 'CFA-2020-12345', issuer: 'CFA Institute', issued_on: '2020-05-01' },
  };
  r = await post('/api/v1/applications', form, token);
  const created = await r.text();
  assert.equal(r.status, 201, created);
  const { id } = JSON.parse(created);
  const body = new FormData();
  body.append('file', new Blob([PDF], { type: 'application/pdf' }), 'certificate.pdf');
  r = await fetch(`${base}/api/v1/applications/${id}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
  assert.equal(r.status, 201, await r.text());
  r = await post(`/api/v1/applications/${id}/submit`, undefined, token);
  assert.equal(r.status, 200, await r.text());
  return id;
}

/** The text of a PDF: pdftotext when installed, else null. */
function pdfText(bytes) {
  const file = path.join(os.tmpdir(), `zige-decision-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(file, bytes);
  try {
    const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    return r.error || r.status !== 0 ? null : r.stdout;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Screenshot of the current page at `width`, and what scrolls sideways on a phone. */
async function shoot(page, name, lang, [label, width, height]) {
  await page.setViewportSize({ width, height });
  await page.evaluate(() => document.fonts.ready);
  const m = await overflow(page, width);
  await page.screenshot({ path: path.join(SHOTS, `staff-${name}-${lang}-${label}.png`), fullPage: true });
  return m.scrollWidth > width ? [`${name} (${lang}, ${width} px): ${m.wide.join(', ')}`] : [];
}

describe('staff pages and the decision', () => {
  let h;
  const who = {};
  const cases = {};
  let code;

  before(async () => {
    h = await setup();
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const [email, role] of [['rev@example.org', 'reviewer'], ['admin@example.org', 'admin']]) {
      const r = h.zige(['admin', 'create-user', '--email', email, '--role', role, '--password-stdin', '--with-totp'], `${STAFF_PASSWORD}\n`);
      assert.equal(r.status, 0, `zige admin create-user ${role}: ${r.stderr}`);
      rememberTotp(email, r.stdout);
    }
    cases.approve = await submittedCase(h.base, 'ada@example.org', 'Ada Lovelace');
    cases.other = await submittedCase(h.base, 'grace@example.org', 'Grace Hopper');
  });
  after(async () => { if (h) await h.teardown(); });

  it('a reviewer lands on the queue, and the case opens with its summary and decision form', async () => {
    const page = await h.page({ lang: 'en' });
    who.reviewer = page;
    await signIn(page, 'rev@example.org', STAFF_PASSWORD);
    assert.match(page.url(), /\/review$/, 'the reviewer lands on the queue');
    await page.goto(`/review/${cases.approve}?lang=en`);
    const top = async (selector) => (await page.locator(selector).boundingBox()).y;
    assert.ok(await top('#decide') < await top('#evidence-title'), 'the decision form comes before the evidence');
    assert.ok(await top('.case-summary') < await top('#decide'));
    const trace = await text(page.locator('ol.trace'));
    assert.match(trace, /Relaxed work permit/);
    assert.doesNotMatch(trace, /benefit\.|recognition\./, 'rule codes are words');
    await page.goto(`/review/${cases.approve}?lang=zh`);
    assert.match(await text(page.locator('ol.trace')), /外国人工作许可放宽/);
  });

  it('recording a decision asks for confirmation first, and going back keeps what was typed', async () => {
    const page = who.reviewer;
    const wide = [];
    for (const lang of ['zh', 'en']) {
      for (const size of WIDTHS) {
        await page.setViewportSize({ width: size[1], height: size[2] });
        await page.goto(`/review/${cases.approve}?lang=${lang}`);
        wide.push(...await shoot(page, 'case', lang, size));
        await page.check('#outcome-approved');
        await page.fill('#reasons', 'Certificate checked with the CFA Institute.');
        await Promise.all([page.waitForURL(/\/decision$/), page.click('#record-decision')]);
        const main = await text(page.locator('main'));
        assert.match(main, lang === 'en' ? /You are about to approve application #\d+ of Ada Lovelace/ : /您即将批准第 \d+ 号申请（Ada Lovelace）/);
        assert.match(main, lang === 'en' ? /cannot be edited/ : /不能修改/);
        wide.push(...await shoot(page, 'confirm', lang, size));
        if (size[0] === 'desktop') {
          const v = await axe(page, null, lang);
          assert.equal(v.length, 0, describeViolations(v));
        }
        await Promise.all([page.waitForURL(/\/decision$/), page.click('button[name="back"]')]);
        assert.equal(await page.inputValue('#reasons'), 'Certificate checked with the CFA Institute.');
        assert.ok(await page.isChecked('#outcome-approved'), 'the choice is kept');
        assert.match(await text(page.locator('h1')), lang === 'en' ? /Submitted/ : /已提交/, 'nothing recorded');
      }
    }
    const v = await axe(page, `/review/${cases.approve}`, 'en');
    assert.equal(v.length, 0, describeViolations(v));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/review/${cases.approve}?lang=en`);
    await page.check('#outcome-approved');
    await Promise.all([page.waitForURL(/\/decision$/), page.click('#record-decision')]);
    await Promise.all([page.waitForURL(/done=decided/), page.click('main form button[type="submit"]:not([name="back"])')]);
    assert.match(await text(page.locator('h1')), /Approved/);
    assert.deepEqual(wide, [], 'nothing scrolls sideways');
  });

  it('the decision names the authority, prints to PDF without a localhost link, in both languages', async () => {
    const page = who.reviewer;
    await page.goto(`/applications/${cases.approve}/decision?lang=en`);
    code = await text(page.locator('#verification-code'));
    const wide = [];
    for (const lang of ['zh', 'en']) {
      await page.goto(`/applications/${cases.approve}/decision?lang=${lang}`);
      const doc = await text(page.locator('.certificate'));
      assert.ok(doc.includes(AUTHORITY.zh) && doc.includes(AUTHORITY.en), 'the authority in both languages');
      assert.match(doc, lang === 'en' ? /Catalogue 3\.0 of 2023-09-04/ : /目录3\.0版（2023-09-04）/);
      assert.match(doc, lang === 'en' ? /administrative reconsideration within 60 days/ : /六十日内依法申请行政复议/);
      assert.match(doc, /\(Asia\/Shanghai, UTC\+8\)/);
      assert.doesNotMatch(doc, /beijing\/3\.0|beijing\/2023|localhost|Zige\)/);
      assert.equal(await page.locator('a[href*="localhost"]').count(), 0);
      const print = page.locator('button[data-print]');
      assert.ok(await print.isVisible(), 'Print is the main action');
      assert.match(await text(print), lang === 'en' ? /Print the decision/ : /打印决定书/);
      for (const size of WIDTHS) wide.push(...await shoot(page, 'decision', lang, size));
      const v = await axe(page, null, lang);
      assert.equal(v.length, 0, describeViolations(v));

      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('header.site').isVisible(), false, 'no site header in print');
      assert.equal(await print.isVisible(), false, 'no buttons in print');
      await page.screenshot({ path: path.join(SHOTS, `staff-decision-${lang}-print.png`), fullPage: true });
      // Printed as a person prints it: the print stylesheet, to A4.
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      fs.writeFileSync(path.join(SHOTS, `staff-decision-${lang}.pdf`), pdf);
      const printed = pdfText(pdf);
      assert.ok(printed !== null, 'pdftotext (poppler-utils) reads the printed decision');
      const flat = printed.replace(/\s+/g, '');
      assert.ok(flat.includes(AUTHORITY.zh), `the PDF names the authority:\n${printed}`);
      assert.ok(flat.includes(AUTHORITY.en.replace(/\s+/g, '')), `the PDF names the authority in English:\n${printed}`);
      assert.ok(flat.includes(code), 'the PDF carries the verification code');
      assert.doesNotMatch(printed, /localhost|127\.0\.0\.1/, 'no localhost link in the PDF');
    }
    assert.deepEqual(wide, [], 'nothing scrolls sideways');
  });

  it('verification names the authority; the key only in technical details', async () => {
    const page = await h.page({ lang: 'en' });
    await page.goto(`/verify/${code}?lang=en`);
    assert.match(await text(page.locator('.verdict-box')), new RegExp(`issued by ${AUTHORITY.en}`));
    assert.equal(await page.locator('details.technical code').isVisible(), false, 'the key is folded away');
    await page.goto(`/verify/${code}?lang=zh`);
    assert.match(await text(page.locator('.verdict-box')), new RegExp(`由${AUTHORITY.zh}作出`));
    const v = await axe(page, null, 'zh');
    assert.equal(v.length, 0, describeViolations(v));
  });

  it('an admin lands on administration, confirms a revocation, and filters the audit log', async () => {
    const page = await h.page({ lang: 'en' });
    who.admin = page;
    await signIn(page, 'admin@example.org', STAFF_PASSWORD);
    assert.match(page.url(), /\/admin\/users$/, 'the admin lands on administration');
    await page.goto('/admin/decisions?lang=en');
    await page.fill(`#reason-${code}`, 'Certificate withdrawn by the issuer.');
    await Promise.all([page.waitForURL(/\/revoke$/), page.click(`#d-${code} button[type="submit"]`)]);
    assert.match(await text(page.locator('main')), /You are about to revoke decision ZG-\d{4}-\d{6} of Ada Lovelace/);
    await Promise.all([page.waitForURL(/\/revoke$/), page.click('button[name="back"]')]);
    assert.equal(await page.inputValue(`#reason-${code}`), 'Certificate withdrawn by the issuer.', 'the reason is kept');

    const wide = [];
    for (const lang of ['zh', 'en']) {
      for (const size of WIDTHS) {
        await page.setViewportSize({ width: size[1], height: size[2] });
        await page.goto(`/admin/audit?lang=${lang}&action=case.view&actor=rev%40example.org`);
        wide.push(...await shoot(page, 'audit', lang, size));
      }
      const rows = await text(page.locator('table.audit tbody'));
      assert.match(rows, lang === 'en' ? /Opened a case/ : /打开案件/);
      assert.doesNotMatch(rows, /case\.view|session\.create/, 'only what was asked for, in words');
      assert.equal(await page.inputValue('#actor'), 'rev@example.org', 'the filter keeps its values');
      assert.equal(await page.inputValue('#action'), 'case.view');
      assert.match(await text(page.locator('.shown')), lang === 'en' ? /Showing 1–\d+ of \d+/ : /共 \d+ 条/);
      // No word in the table is broken across lines (measured on the rendered text).
      const broken = await page.evaluate(() => {
        const out = [];
        for (const td of document.querySelectorAll('table.audit td')) {
          const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const re = /[A-Za-z0-9@._#-]+/g;
            let m;
            while ((m = re.exec(n.data))) {
              const range = document.createRange();
              range.setStart(n, m.index);
              range.setEnd(n, m.index + m[0].length);
              const lines = new Set([...range.getClientRects()].map((c) => Math.round(c.top)));
              if (lines.size > 1) out.push(m[0]);
            }
          }
        }
        return out;
      });
      assert.deepEqual(broken, [], `words broken inside in the audit log (${lang})`);
      const v = await axe(page, null, lang);
      assert.equal(v.length, 0, describeViolations(v));
    }
    await page.goto('/admin/audit?lang=en&from=2020-01-01&to=2020-01-31');
    assert.match(await text(page.locator('.shown')), /No records match/);
    await page.goto('/admin/audit?lang=en&actor=nobody%40example.org');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'problems', 'the error summary takes the focus');
    assert.match(await text(page.locator('#problems')), /No account has the e-mail/);
    assert.deepEqual(wide, [], 'nothing scrolls sideways');
  });

  it('an admin keeps a reason template, and a reviewer adds it to the reasons', async () => {
    const admin = who.admin;
    await admin.setViewportSize({ width: 1280, height: 900 });
    await admin.goto('/admin/reasons/new?lang=en');
    await admin.fill('#title_en', 'Certificate expired');
    await Promise.all([admin.waitForURL(/\/admin\/reasons\/new$/), admin.click('main form button[type="submit"]')]);
    assert.equal(await admin.evaluate(() => document.activeElement.id), 'problems', 'the error summary takes the focus');
    assert.equal(await admin.locator('#problems li').count(), 4, 'every missing field at once');
    assert.equal(await admin.inputValue('#title_en'), 'Certificate expired', 'what was typed is kept');
    await admin.check('#outcome-rejected');
    await admin.fill('#title_zh', '证书已过期');
    await admin.fill('#text_zh', '您提交的证书已过期，请提交有效的证书。');
    await admin.fill('#text_en', 'The certificate you submitted has expired. Please submit a valid one.');
    await Promise.all([admin.waitForURL(/done=template-added/), admin.click('main form button[type="submit"]')]);
    const wide = [];
    for (const lang of ['zh', 'en']) {
      await admin.goto(`/admin/reasons?lang=${lang}`);
      assert.match(await text(admin.locator('main')), lang === 'en' ? /To reject[\s\S]*Certificate expired/ : /不予认定[\s\S]*证书已过期/);
      for (const size of WIDTHS) wide.push(...await shoot(admin, 'reason-templates', lang, size));
      const v = await axe(admin, null, lang);
      assert.equal(v.length, 0, describeViolations(v));
    }

    const page = who.reviewer;
    for (const lang of ['zh', 'en']) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`/review/${cases.other}?lang=${lang}`);
      await page.fill('#reasons', lang === 'en' ? 'Dear Grace Hopper,' : '尊敬的申请人：');
      await page.selectOption('#template', { label: lang === 'en' ? 'Certificate expired' : '证书已过期' });
      await Promise.all([page.waitForURL(/\/decision$/), page.click('button[name="insert"]')]);
      const reasons = await page.inputValue('#reasons');
      assert.ok(reasons.startsWith(lang === 'en' ? 'Dear Grace Hopper,\n\n您提交的证书已过期' : '尊敬的申请人：\n\n您提交的证书已过期'), reasons);
      assert.ok(reasons.endsWith('Please submit a valid one.'), reasons);
      assert.ok(await page.isChecked('#outcome-rejected'), 'the template chose its outcome');
      assert.match(await text(page.locator('main')), lang === 'en' ? /was added to the reasons/ : /已加入理由/);
      for (const size of WIDTHS) wide.push(...await shoot(page, 'case-template', lang, size));
      const v = await axe(page, null, lang);
      assert.equal(v.length, 0, describeViolations(v));
    }
    assert.deepEqual(wide, [], 'nothing scrolls sideways');

    // Enter in the form goes on to the decision's check, not to "Add to the reasons".
    await page.focus('#outcome-rejected');
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'Reject this application?' }).waitFor();
  });
});
