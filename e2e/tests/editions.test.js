'use strict';
// Catalogue editions in the browser: an administrator created with the
// `zige` command signs in, uploads a modified official text (one entry
// dropped, one added), reads the diff, completes the overlay for the new
// entry and publishes it for a future date. The public site still answers
// from 3.0, can show the edition to come by ?catalog=, and /changes.atom
// answers. An unreadable text is shown line by line. Then axe-core on every
// new page in both languages, the phone width, and screenshots.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { rememberTotp, setup, text, axe, axePages, phonePages, describeViolations, signIn, SHOTS, E2E } = require('../lib/harness');

const ADMIN = 'admin@example.org';
const PASSWORD = 'staff password 1';
const CAIA = 'CAIA另类投资分析师';
const CAIA_OVERLAY = `id = "caia-association-caia"
name_en = "Chartered Alternative Investment Analyst (CAIA)"
aliases = ["CAIA"]
scope_en = "Finance"
issuers = [{ zh = "另类投资分析师协会", en = "CAIA Association" }]
`;

/**
 * The official 3.0 text as a new `version`: Connecticut's teachers (G50)
 * dropped, the rows after it renumbered, CAIA added as G115 (the totals
 * stay 122 and 115), and the CFA (G7) renamed.
 */
function modifiedText(version) {
  const original = fs.readFileSync(path.join(E2E, '..', 'catalogs', 'beijing', '3.0', 'catalog.txt'), 'utf8');
  let general = false;
  let dropped = null;
  const out = [];
  for (const line of original.split('\n')) {
    if (line.startsWith('（二）')) general = true;
    const m = line.match(/^(\d+)\t/);
    if (general && m) {
      const seq = Number(m[1]);
      if (seq === 50) { dropped = line; continue; }
      if (seq > 50) { out.push(line.replace(/^\d+/, String(seq - 1))); continue; }
    }
    out.push(line.replace('（3.0版）', `（${version}版）`).replace('\tCFA特许金融分析师证书\t', '\tCFA特许金融分析师证书（特许资格）\t'));
  }
  assert.match(dropped, /康涅狄格州/, 'G50 is the Connecticut teaching certificate');
  out.push(`115\t${CAIA}\t另类投资分析师协会 CAIA Association\t美国\t金融\t从事金融相关工作。`);
  return out.join('\n');
}

describe('catalogue editions, end to end', () => {
  let h;
  let dir;
  const who = {};

  before(async () => {
    h = await setup();
    fs.mkdirSync(SHOTS, { recursive: true });
    const r = h.zige(['admin', 'create-user', '--email', ADMIN, '--role', 'admin', '--password-stdin', '--with-totp'], `${PASSWORD}\n`);
    assert.equal(r.status, 0, `zige admin create-user: ${r.stderr}`);
    rememberTotp(ADMIN, r.stdout);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zige-e2e-editions-'));
    fs.writeFileSync(path.join(dir, 'beijing-3.1.txt'), modifiedText('3.1'));
    fs.writeFileSync(path.join(dir, 'beijing-3.2.txt'), modifiedText('3.2'));
    fs.writeFileSync(path.join(dir, 'broken.txt'), modifiedText('3.9').replace('（共计122项）', '（共计X项）'));
  });
  after(async () => {
    if (h) await h.teardown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Uploads `file` as beijing/`version` through the form on /admin/catalogs. */
  async function upload(page, version, file) {
    await page.goto('/admin/catalogs?lang=en');
    await page.fill('#version', version);
    await page.fill('#published', '2026-11-01');
    await page.setInputFiles('#file', path.join(dir, file));
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/admin/catalogs') && r.request().method() === 'POST'),
      page.click('#import button[type="submit"]'),
    ]);
    await page.waitForLoadState();
    return resp;
  }

  it('an administrator uploads a modified text and reads its diff', async () => {
    const page = await h.page({ lang: 'en' });
    who.admin = page;
    await signIn(page, ADMIN, PASSWORD);
    await Promise.all([page.waitForURL(/\/admin\/users$/), page.click('header .account a[href="/admin/users"]')]);
    await Promise.all([page.waitForURL(/\/admin\/catalogs$/), page.click('nav.tabs a[href="/admin/catalogs"]')]);
    assert.match(await text(page.locator('table.editions')), /beijing\/3\.0 Built in 122 2023-09-04 In force/);

    await upload(page, '3.1', 'beijing-3.1.txt');
    await page.waitForURL(/\/admin\/catalogs\/beijing\/3\.1\?done=imported$/);
    assert.match(await text(page.locator('h1')), /Edition beijing\/3\.1 Draft/);
    assert.match(await text(page.locator('.diff-summary')), /^1 added, 1 removed, 1 changed, 65 renumbered, 55 unchanged\.$/);
    assert.match(await text(page.locator('ul.diff-entries.added')), new RegExp(`G115 ${CAIA}`));
    assert.match(await text(page.locator('ul.diff-entries.removed')), /G50 .*Connecticut/);
    // The renamed entry: how it was matched, its name before and after.
    const renamed = page.locator('ul.diff-changes > li', { hasText: 'G7' });
    assert.match(await text(renamed), /renamed Matched by: the same stable id/);
    assert.match(await text(renamed.locator('table.diff-fields')), /Name \(Chinese\) CFA特许金融分析师证书 CFA特许金融分析师证书（特许资格）/);
    assert.match(await text(page.locator('section[aria-labelledby="diff"]')), /65 entries kept their content but changed their number/);
    assert.match(await text(page.locator('section[aria-labelledby="validation"]')), /One problem: publishing is refused/);
    await page.screenshot({ path: path.join(SHOTS, 'editions-draft-en-desktop.png'), fullPage: true });
  });

  it('completes the overlay for the new entry, and the history names who did it', async () => {
    const page = who.admin;
    const flagged = page.locator('ul.checks li', { hasText: 'no overlay entry' });
    assert.equal(await flagged.count(), 1);
    const code = await text(flagged.locator('code'));
    assert.equal(code, 'G115');
    // Typed at the end of the overlay (filling 70 kB key by key is slow).
    await page.locator('#overlay-text').evaluate((el, more) => { el.value += more; }, `\n[entries.${code}]\n${CAIA_OVERLAY}`);
    await page.fill('#note', 'English for CAIA');
    await Promise.all([page.waitForURL(/done=overlay/), page.click('section[aria-labelledby="overlay"] button[type="submit"]')]);
    assert.match(await text(page.locator('.notice').first()), /The overlay was saved/);
    assert.match(await text(page.locator('section[aria-labelledby="validation"]')), /No problems: this draft can be published/);
    assert.match(await text(page.locator('section[aria-labelledby="overlay"] ol.timeline')), new RegExp(`${ADMIN} — English for CAIA`));
  });

  it('publishes for a future date: the public site still answers from 3.0', async () => {
    const page = who.admin;
    assert.match(await text(page.locator('section[aria-labelledby="publish"]')), /until that date beijing\/3\.0, the edition in force, keeps answering/);
    await page.fill('#effective', '2199-01-01');
    await Promise.all([page.waitForURL(/done=published/), page.click('section[aria-labelledby="publish"] button[type="submit"]')]);
    assert.match(await text(page.locator('h1')), /Published/);
    assert.match(await text(page.locator('dl.facts')), /From 2199-01-01/);
    assert.equal(await page.locator('textarea').count(), 0, 'a published edition is read-only');

    const anyone = await h.page({ lang: 'en' });
    who.anyone = anyone;
    await anyone.goto('/');
    assert.match(await text(anyone.locator('.lead')), /122 recognised/);
    await anyone.goto('/search?q=CAIA');
    assert.doesNotMatch(await text(anyone.locator('main')), /Alternative Investment/);
    await anyone.goto('/entries/G50');
    assert.match(await text(anyone.locator('h1')), /Teacher|teaching|Educator/i);
    assert.match(await text(anyone.locator('section[aria-labelledby="history"]')), /beijing\/3\.1 2199-01-01 — Removed in this edition/);

    // The edition to come, by name; search as you type keeps to it.
    await anyone.goto('/?catalog=beijing/3.1');
    assert.match(await text(anyone.locator('.edition-note')), /beijing\/3\.1, which takes effect on 2199-01-01; until then beijing\/3\.0 is in force/);
    await anyone.fill('#q', 'CAIA');
    const hit = anyone.locator('ol.hits li a').first();
    await hit.waitFor();
    assert.match(await text(hit), /Chartered Alternative Investment Analyst/);
    assert.match(await hit.getAttribute('href'), /^\/entries\/caia-association-caia\?catalog=beijing%2F3\.1$/);
    await Promise.all([anyone.waitForURL(/caia-association-caia/), hit.click()]);
    assert.match(await text(anyone.locator('h1')), /Chartered Alternative Investment Analyst/);

    // The changes page compares 3.0 with the edition to come and links the feed.
    await anyone.goto('/changes');
    assert.equal(await anyone.locator('head link[rel="alternate"][type="application/atom+xml"][href="/changes.atom"]').count(), 1);
    assert.match(await text(anyone.locator('#diff')), /^From beijing\/3\.0 to beijing\/3\.1$/);
    assert.match(await text(anyone.locator('table.editions')), /beijing\/3\.1 .* 2199-01-01 From 2199-01-01/);
    const feed = await fetch(`${h.base}/changes.atom`);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type'), /application\/atom\+xml/);
    assert.match(await feed.text(), /beijing\/3\.1 replaces beijing\/3\.0 from 2199-01-01: 1 added \(G115 Chartered Alternative Investment Analyst \(CAIA\)\)/);

    await anyone.goto('/data');
    for (const f of ['csv', 'xlsx', 'json', 'jsonld']) {
      const link = anyone.locator(`a[href="/api/v1/export.${f}?catalog=beijing/3.1"]`);
      assert.equal(await link.count(), 1, f);
      const r = await fetch(`${h.base}/api/v1/export.${f}?catalog=beijing/3.1`);
      assert.equal(r.status, 200, f);
    }
  });

  it('a text that cannot be read shows every problem by line and column, and nothing is stored', async () => {
    const page = who.admin;
    const resp = await upload(page, '3.9', 'broken.txt');
    assert.equal(resp.status(), 400);
    const problems = await text(page.locator('#problems'));
    assert.match(problems, /line 7, column 1: the declared total \(共计N项\) is not a number — “（共计X项）”/);
    assert.match(problems, /line 9, column 1/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'problems', 'the summary has the focus');
    assert.equal(await page.inputValue('#version'), '3.9', 'what was typed is kept');
    const v = await axe(page, null, 'en');
    assert.equal(v.length, 0, describeViolations(v));
    await page.screenshot({ path: path.join(SHOTS, 'editions-import-errors-en-desktop.png'), fullPage: true });
    await page.goto('/admin/catalogs?lang=en');
    assert.doesNotMatch(await text(page.locator('table.editions')), /3\.9/);
    // A draft to look at below.
    await upload(page, '3.2', 'beijing-3.2.txt');
    await page.waitForURL(/\/admin\/catalogs\/beijing\/3\.2\?done=imported$/);
  });

  /** Every new page, with the browser context allowed to see it. */
  const PAGES = [
    ['admin', '/admin/catalogs', 'admin-catalogs'],
    ['admin', '/admin/catalogs/beijing/3.2', 'admin-draft'],
    ['admin', '/admin/catalogs/beijing/3.1', 'admin-published'],
    ['admin', '/admin/catalogs/beijing/3.2/discard', 'admin-discard'],
    ['admin', '/', 'home-signed-in'],
    ['anyone', '/changes', 'changes'],
    ['anyone', '/data', 'data'],
    ['anyone', '/entries/G7', 'entry-history'],
    ['anyone', '/browse?catalog=beijing/3.1', 'browse-upcoming'],
    ['anyone', '/search?q=CAIA&catalog=beijing/3.1', 'search-upcoming'],
    ['anyone', '/entries/caia-association-caia?catalog=beijing/3.1', 'entry-upcoming'],
  ];

  for (const lang of ['zh', 'en']) {
    it(`the new pages have no axe violations (${lang})`, async () => {
      const found = await axePages(who, PAGES, lang);
      assert.equal(found.length, 0, `axe violations:\n${found.join('\n')}`);
    });
  }

  for (const lang of ['zh', 'en']) {
    it(`the new pages do not scroll sideways at 360 px, screenshots (${lang})`, async () => {
      const wide = await phonePages(who, PAGES, lang, 'editions');
      assert.equal(wide.length, 0, `sideways scrolling at 360 px:\n${wide.join('\n')}`);
    });
  }

  it('a draft is discarded after its confirmation', async () => {
    const page = who.admin;
    await page.goto('/admin/catalogs/beijing/3.2?lang=en');
    await Promise.all([page.waitForURL(/\/discard$/), page.click('a[href$="/discard"]')]);
    await Promise.all([page.waitForURL(/done=discarded/), page.click('main button[type="submit"]')]);
    assert.match(await text(page.locator('table.editions')), /beijing\/3\.2 Discarded/);
  });
});
