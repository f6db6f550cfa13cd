'use strict';
// Statistics as their readers see them: the public figures for anyone;
// the officials' report and the monthly report for an official (signed in
// with a second factor), with demo data seeded by `zige demo seed`. In
// Chinese and English, at 360 and 1280 px: axe with no violation, nothing
// scrolling sideways, screenshots `stats-*`. The monthly report printed
// as a person prints it (the print stylesheet, A4): its figures on paper,
// the site's menus and the form not.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { rememberTotp, setup, text, axe, describeViolations, overflow, SHOTS } = require('../lib/harness');
const totp = require('../lib/totp');

const STAFF_PASSWORD = 'staff password 1';
const OFFICIAL = 'official@example.org';
const WIDTHS = [['phone', 360, 740], ['desktop', 1280, 900]];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Last month in Beijing: { year, month, code: 'YYYY-MM' }. */
function lastMonth() {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    .format(new Date()).split('-').map(Number);
  const y = month === 1 ? year - 1 : year;
  const m = month === 1 ? 12 : month - 1;
  return { year: y, month: m, code: `${y}-${String(m).padStart(2, '0')}` };
}

/** Signs the official in through the form, with the second step; lands on /reports. */
async function signInOfficial(page) {
  await page.goto('/login?lang=en');
  await page.fill('#email', OFFICIAL);
  await page.fill('#password', STAFF_PASSWORD);
  await Promise.all([page.waitForURL(/\/login\/second-factor/), page.click('main button[type="submit"]')]);
  await page.fill('#code', await totp.codeFor(OFFICIAL));
  await Promise.all([page.waitForURL(/\/reports$/), page.click('main button[type="submit"]')]);
}

/** The text of a PDF through pdftotext, or null when it is not installed. */
function pdfText(bytes) {
  const file = path.join(os.tmpdir(), `zige-monthly-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(file, bytes);
  try {
    const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    return r.error || r.status !== 0 ? null : r.stdout;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * `url` in both languages at both widths: axe (at each width, since the
 * tables stack on a phone), a screenshot `stats-${name}-${lang}-${width}`,
 * what scrolls sideways. Returns the problems found.
 */
async function visit(page, url, name) {
  const problems = [];
  for (const lang of ['zh', 'en']) {
    for (const [label, width, height] of WIDTHS) {
      await page.setViewportSize({ width, height });
      const v = await axe(page, url, lang);
      if (v.length) problems.push(`${url} (${lang}, ${width} px):\n${describeViolations(v)}`);
      await page.evaluate(() => document.fonts.ready);
      const m = await overflow(page, width);
      if (m.scrollWidth > width) problems.push(`${url} (${lang}, ${width} px) scrolls sideways: ${m.wide.join(', ')}`);
      await page.screenshot({ path: path.join(SHOTS, `stats-${name}-${lang}-${label}.png`), fullPage: true });
    }
  }
  return problems;
}

describe('statistics and reports', () => {
  let h;
  let official;
  const month = lastMonth();

  before(async () => {
    h = await setup();
    fs.mkdirSync(SHOTS, { recursive: true });
    const r = h.zige(['admin', 'create-user', '--email', OFFICIAL, '--role', 'official', '--password-stdin', '--with-totp'], `${STAFF_PASSWORD}\n`);
    assert.equal(r.status, 0, `zige admin create-user official: ${r.stderr}`);
    rememberTotp(OFFICIAL, r.stdout);
    const seeded = h.zige(['demo', 'seed', '--applications', '3000', '--seed', '5']);
    assert.equal(seeded.status, 0, `zige demo seed: ${seeded.stderr}`);
  });
  after(async () => { if (h) await h.teardown(); });

  it('anyone reads the public figures, with charts beside tables', async () => {
    const page = await h.page({ lang: 'en' });
    const problems = await visit(page, '/statistics', 'public');
    await page.goto('/statistics?lang=en');
    assert.ok(await page.locator('svg[role="img"]').count() > 0, 'a chart');
    assert.match(await text(page.locator('main')), /Applications/);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('an official reads the report, its downloads and the monthly report', async () => {
    official = await h.page({ lang: 'en' });
    await signInOfficial(official);
    const problems = await visit(official, '/reports', 'reports');
    problems.push(...await visit(official, '/reports/monthly', 'monthly'));
    await official.goto('/reports?lang=en');
    const downloads = await text(official.locator('.downloads'));
    assert.match(downloads, /CSV/);
    assert.match(downloads, /Excel workbook \(XLSX\)/);
    const xlsx = await official.request.get('/reports/statistics.xlsx?lang=en');
    assert.equal(xlsx.status(), 200);
    assert.equal(xlsx.headers()['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK', 'a zip, as XLSX is');
    await Promise.all([official.waitForURL(/\/reports\/monthly$/), official.click('a[href="/reports/monthly"]')]);
    const title = `Monthly report: ${MONTHS_EN[month.month - 1]} ${month.year}`;
    assert.equal(await text(official.locator('h1')), title, 'last month by default');
    assert.match(await text(official.locator('.print-hint')), /browser's Print command/);
    assert.deepEqual(problems, []);
  });

  it('a month that is not one is named in the error summary', async () => {
    // Chromium's month field takes no such month; a browser without one, or
    // an address typed by hand, sends it.
    await official.goto('/reports/monthly?month=2026-13&lang=en');
    assert.equal(await official.evaluate(() => document.activeElement.id), 'problems', 'the summary takes the focus');
    assert.match(await text(official.locator('#problems')), /Month: “2026-13” is not a month: enter one as YYYY-MM/);
    assert.equal(await official.getAttribute('#month', 'aria-invalid'), 'true');
    const v = await axe(official, null, 'en');
    assert.equal(v.length, 0, describeViolations(v));
    await official.screenshot({ path: path.join(SHOTS, 'stats-monthly-error-en-desktop.png'), fullPage: true });
  });

  it('the monthly report prints to A4 with its figures and without the menus', async () => {
    const page = official;
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const lang of ['en', 'zh']) {
      await page.goto(`/reports/monthly?month=${month.code}&lang=${lang}`);
      const applications = await text(page.locator('.figures div').first().locator('dd'));
      await page.emulateMedia({ media: 'print' });
      for (const hidden of ['header.site nav', 'footer.site', 'form.stats-filters', '.skip', '.print-hint', '.downloads']) {
        assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
      }
      await page.screenshot({ path: path.join(SHOTS, `stats-monthly-${lang}-print.png`), fullPage: true });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      fs.writeFileSync(path.join(SHOTS, `stats-monthly-${lang}.pdf`), pdf);
      const printed = pdfText(pdf);
      assert.ok(printed !== null, 'pdftotext (poppler-utils) reads the printed report');
      const flat = printed.replace(/\s+/g, '');
      const title = lang === 'en' ? `Monthly report: ${MONTHS_EN[month.month - 1]} ${month.year}` : `月度报告：${month.year}年${month.month}月`;
      assert.ok(flat.includes(title.replace(/\s+/g, '')), `the title on paper:\n${printed}`);
      assert.ok(flat.includes(applications.replace(/\s+/g, '')), 'the number of applications on paper');
      assert.ok(flat.includes(lang === 'en' ? 'Applicationsbyentry' : '各目录条目的申请数'), 'the table by entry');
      assert.ok(flat.includes(lang === 'en' ? 'Demoreviewer' : 'Demoreviewer'), 'the reviewers');
      const nav = lang === 'en' ? ['Browse', 'Checkeligibility', 'Skiptocontent', 'Showthismonth'] : ['浏览目录', '资格评估', '跳到正文', '显示该月'];
      for (const word of nav) assert.ok(!flat.includes(word), `"${word}" is not printed:\n${printed}`);
    }
  });
});
