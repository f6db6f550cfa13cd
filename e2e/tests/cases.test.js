'use strict';
// A recognition case end to end in the browser: an applicant registers,
// fills in the application, uploads a PDF and submits; a reviewer created
// with the `zige` command signs in in another browser context, opens the
// case from the queue and approves it; the printable decision shows its
// verification code, and the public verification page says it is valid.
// Then axe-core on every new page in both languages, the phone width, and
// screenshots for people to look at.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { rememberTotp, setup, text, axe, axePages, phonePages, describeViolations, overflow, signIn, SHOTS } = require('../lib/harness');

const STAFF_PASSWORD = 'staff password 1';
const APPLICANT = 'ada@example.org';
const APPLICANT_PASSWORD = 'correct horse battery';
// A small but well-formed PDF: what the server accepts is judged by content.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('recognition case, end to end', () => {
  let h;
  // Pages (each in its own browser context) and what the path creates.
  const who = {};
  let caseId;
  let draftId;
  let code;

  before(async () => {
    h = await setup();
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const [email, role] of [['rev@example.org', 'reviewer'], ['admin@example.org', 'admin']]) {
      const r = h.zige(['admin', 'create-user', '--email', email, '--role', role, '--password-stdin', '--with-totp'], `${STAFF_PASSWORD}\n`);
      assert.equal(r.status, 0, `zige admin create-user ${role}: ${r.stderr}`);
      rememberTotp(email, r.stdout);
    }
  });
  after(async () => { if (h) await h.teardown(); });

  it('an applicant registers, fills in the application, uploads a PDF and submits', async () => {
    const page = await h.page({ lang: 'en' });
    who.applicant = page;
    await page.goto('/');
    await Promise.all([page.waitForURL(/\/register$/), page.click('header .account a[href="/register"]')]);
    await page.fill('#email', APPLICANT);
    await page.fill('#name', 'Ada');
    await page.fill('#password', APPLICANT_PASSWORD);
    await page.click('main button[type="submit"]');
    await page.waitForSelector('main .panel h1');
    assert.match(await text(page.locator('main h1')), /Check your e-mail/);
    await Promise.all([page.waitForURL(/\/login\?next=/), page.click('main a.button[href^="/login?next="]')]);
    await page.fill('#email', APPLICANT);
    await page.fill('#password', APPLICANT_PASSWORD);
    await Promise.all([page.waitForURL(/\/my$/), page.click('main button[type="submit"]')]);
    assert.match(await text(page.locator('header .account')), new RegExp(APPLICANT));

    await Promise.all([page.waitForURL(/\/apply$/), page.click('text=New application')]);
    await Promise.all([page.waitForURL(/\/applications\/\d+$/), page.click('main button.start-button')]);
    caseId = Number(page.url().match(/\/applications\/(\d+)$/)[1]);
    assert.match(await text(page.locator('h1')), /Draft/);
    assert.ok(await page.locator('ul.missing li').count() >= 4, 'what is missing is listed');

    await page.fill('#holder_name', 'Ada Lovelace');
    await page.fill('#entry', 'G7');
    await page.fill('#age', '40');
    await page.selectOption('#nationality', 'foreign');
    await page.selectOption('#education', 'master');
    await page.selectOption('#beijing_employer', 'true');
    await page.fill('#cert_number', 'CFA-2020-12345');
    await page.fill('#cert_issuer', 'CFA Institute');
    await page.fill('#cert_issued_on', '1');
    await page.fill('#cert_issued_on-month', '5');
    await page.fill('#cert_issued_on-year', '2020');
    await Promise.all([page.waitForURL(/done=saved/), page.click('#submit button[value="save"]')]);
    assert.match(await text(page.locator('.notice').first()), /saved/);
    assert.equal(await page.inputValue('#holder_name'), 'Ada Lovelace');

    await page.setInputFiles('#file', { name: 'certificate.pdf', mimeType: 'application/pdf', buffer: PDF });
    await Promise.all([page.waitForURL(/done=uploaded/), page.click('button[value="upload"]')]);
    assert.match(await text(page.locator('#evidence ul.files')), /certificate\.pdf/);
    assert.match(await text(page.locator('.notice').last()), /Nothing is missing/);

    await Promise.all([page.waitForURL(/\/check$/), page.click('button[value="continue"]')]);
    await page.check('#declaration');
    await Promise.all([page.waitForURL(/done=submitted/), page.click('form.declaration button[type="submit"]')]);
    assert.match(await text(page.locator('h1')), /Submitted/);
    assert.equal(await page.locator('#details').count(), 0, 'the form is read-only once submitted');
    assert.match(await text(page.locator('ol.timeline')), /Submitted/);
  });

  it('a reviewer finds the case in the queue and approves it', async () => {
    const page = await h.page({ lang: 'en' });
    who.reviewer = page;
    await signIn(page, 'rev@example.org', STAFF_PASSWORD);
    assert.match(page.url(), /\/review$/, 'a reviewer lands on the queue');
    const row = page.locator('table.queue tbody tr', { hasText: 'Ada Lovelace' });
    assert.equal(await row.count(), 1);
    await page.screenshot({ path: path.join(SHOTS, 'case-review-queue-row-en-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
    const m = await overflow(page, 360);
    assert.ok(m.scrollWidth <= 360, `the queue scrolls sideways at 360 px: ${m.wide.join(', ')}`);
    await page.screenshot({ path: path.join(SHOTS, 'case-review-queue-row-en-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await Promise.all([page.waitForURL(new RegExp(`/review/${caseId}$`)), row.locator('a').click()]);
    assert.match(await text(page.locator('h1')), /Submitted/, 'opening a case changes nothing');
    await Promise.all([page.waitForURL(/done=started/), page.click('#start button[type="submit"]')]);
    assert.match(await text(page.locator('h1')), /Under review/);
    assert.equal(await page.locator('#start').count(), 0, 'no start button once under review');
    assert.match(await text(page.locator('section[aria-labelledby="precheck"]')), /Recognised/);
    assert.ok(await page.locator('ol.trace li').count() > 3, 'the trace is listed');
    assert.equal(await page.locator('figure.evidence object[type="application/pdf"]').count(), 1);
    await page.screenshot({ path: path.join(SHOTS, 'case-review-en-desktop.png'), fullPage: true });

    await page.check('#outcome-approved');
    await page.fill('#reasons', 'Certificate checked with the CFA Institute.');
    await Promise.all([page.waitForURL(/\/decision$/), page.click('#record-decision')]);
    assert.match(await text(page.locator('main')), /You are about to approve/);
    await Promise.all([page.waitForURL(/done=decided/), page.click('main form button[type="submit"]:not([name="back"])')]);
    assert.match(await text(page.locator('h1')), /Approved/);
    assert.equal(await page.locator('#decide').count(), 0, 'no decision form once decided');
  });

  it('the printable decision shows the verification code, and anyone can verify it', async () => {
    const page = who.reviewer;
    await Promise.all([page.waitForURL(/\/decision$/), page.click('text=View and print the decision')]);
    code = (await text(page.locator('#verification-code')));
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.equal(await page.locator('.qr svg[role="img"]').count(), 0, 'no QR code of a localhost address');
    assert.match(await text(page.locator('.certificate')), /Ada Lovelace/);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.site nav').first().isVisible(), false, 'navigation is not printed');
    await page.screenshot({ path: path.join(SHOTS, 'case-decision-en-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    // The applicant sees the reasons and the decision too.
    await who.applicant.goto('/my');
    assert.match(await text(who.applicant.locator('ul.apps')), /Approved/);
    assert.match(await text(who.applicant.locator('ul.apps')), /Certificate checked with the CFA Institute\./);

    const anyone = await h.page({ lang: 'en' });
    who.anyone = anyone;
    await anyone.goto('/verify');
    await anyone.fill('#code', code.toLowerCase().replace(/(.{5})/g, '$1 '));
    await Promise.all([anyone.waitForURL(/\/verify\/.+/), anyone.click('main button[type="submit"]')]);
    assert.match(await text(anyone.locator('.verdict-box.valid h2')), /VALID/);
    assert.match(await text(anyone.locator('.verdict-box')), /Ada Lovelace/);
    assert.doesNotMatch(await text(anyone.locator('main')), new RegExp(APPLICANT), 'no personal data beyond the name');
    await anyone.goto('/verify/0000000000000000000000000A');
    assert.match(await text(anyone.locator('.verdict-box.unknown h2')), /UNKNOWN/);
  });

  it('an administrator sees accounts, decisions and the audit log', async () => {
    const page = await h.page({ lang: 'en' });
    who.admin = page;
    await signIn(page, 'admin@example.org', STAFF_PASSWORD);
    assert.match(page.url(), /\/admin\/users$/, 'an admin lands on administration');
    assert.match(await text(page.locator('table.users')), /rev@example\.org/);
    await Promise.all([page.waitForURL(/\/admin\/decisions$/), page.click('nav.tabs a[href="/admin/decisions"]')]);
    assert.match(await text(page.locator('main')), new RegExp(code));
    await Promise.all([page.waitForURL(/\/admin\/audit$/), page.click('nav.tabs a[href="/admin/audit"]')]);
    assert.match(await text(page.locator('table.audit')), /Opened a case/);
    // A second draft, for the form's accessibility scan below.
    await who.applicant.goto('/my');
    await Promise.all([who.applicant.waitForURL(/\/apply$/), who.applicant.click('text=New application')]);
    await Promise.all([who.applicant.waitForURL(/\/applications\/\d+$/), who.applicant.click('main button.start-button')]);
    draftId = Number(who.applicant.url().match(/\/applications\/(\d+)$/)[1]);
  });

  /** Every new page, with the browser context allowed to see it. */
  function pages() {
    return [
      ['anyone', '/register', 'register'],
      ['anyone', '/login', 'login'],
      ['anyone', '/verify', 'verify-form'],
      ['anyone', `/verify/${code}`, 'verify-valid'],
      ['applicant', '/my', 'my'],
      ['applicant', `/applications/${draftId}`, 'application-form'],
      ['applicant', `/applications/${caseId}`, 'application-approved'],
      ['applicant', `/applications/${caseId}/decision`, 'decision'],
      ['reviewer', '/review', 'review-queue'],
      ['reviewer', `/review/${caseId}`, 'case'],
      ['admin', '/admin/users', 'admin-users'],
      ['admin', '/admin/decisions', 'admin-decisions'],
      ['admin', '/admin/audit', 'admin-audit'],
    ];
  }

  for (const lang of ['zh', 'en']) {
    it(`the new pages have no axe violations (${lang})`, async () => {
      const found = await axePages(who, pages(), lang);
      assert.equal(found.length, 0, `axe violations:\n${found.join('\n')}`);
    });
  }

  it('the application form shows errors at their fields, in the page language', async () => {
    const page = who.applicant;
    await page.goto(`/applications/${draftId}?lang=zh`);
    await page.fill('#age', '7');
    await page.fill('#cert_issued_on', '1');
    await page.fill('#cert_issued_on-month', '1');
    await page.fill('#cert_issued_on-year', '2099');
    await page.click('button[value="continue"]');
    await page.waitForSelector('#problems');
    assert.match(await text(page.locator('#problems')), /年龄/);
    assert.match(await text(page.locator('#age-error')), /./);
    assert.equal(await page.inputValue('#age'), '7', 'what was typed is kept');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'problems', 'the error summary has the focus');
    await page.screenshot({ path: path.join(SHOTS, 'case-application-errors-zh-desktop.png'), fullPage: true });
    const v = await axe(page, `/applications/${draftId}`, 'zh');
    assert.equal(v.length, 0, describeViolations(v));
  });

  it('refused uploads are explained on the page: not a PDF (415), too large (413)', async () => {
    const page = who.applicant;
    await page.goto(`/applications/${draftId}?lang=en`);
    await page.setInputFiles('#file', { name: 'letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Dear reviewer, ...') });
    let [resp] = await Promise.all([page.waitForResponse((r) => r.url().includes(`/applications/${draftId}`) && r.request().method() === 'POST'), page.click('button[value="upload"]')]);
    assert.equal(resp.status(), 415);
    assert.match(await text(page.locator('#file-error')), /not a PDF, JPEG or PNG/);
    const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
    big.write('%PDF-1.4\n');
    await page.setInputFiles('#file', { name: 'scan.pdf', mimeType: 'application/pdf', buffer: big });
    [resp] = await Promise.all([page.waitForResponse((r) => r.url().includes(`/applications/${draftId}`) && r.request().method() === 'POST'), page.click('button[value="upload"]')]);
    assert.equal(resp.status(), 413);
    assert.match(await text(page.locator('#file-error')), /larger than 10 MB/);
    assert.equal(await page.locator('#evidence ul.files').count(), 0, 'nothing was stored');
  });

  for (const lang of ['zh', 'en']) {
    it(`the new pages do not scroll sideways at 360 px, screenshots (${lang})`, async () => {
      const wide = await phonePages(who, pages(), lang, 'case');
      assert.equal(wide.length, 0, `sideways scrolling at 360 px:\n${wide.join('\n')}`);
    });
  }
});
