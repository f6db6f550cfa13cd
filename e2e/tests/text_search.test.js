'use strict';
// Finding qualifications in a pasted CV, as a person meets it on a phone
// and a desktop, in both languages: the box on the home page; the answer
// listing each qualification with the words that name it, held or only
// mentioned; the text kept below as pasted; the check opened with the
// qualification and the years filled in. An empty box is named in the
// error summary, which takes focus. The same works without JavaScript.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { setup, axe, describeViolations, overflow, text, SHOTS } = require('../lib/harness');

const CV = {
  en: [
    'Jane Whitfield, Portfolio Manager, Hong Kong',
    '10 years of experience in asset management.',
    '',
    'Certifications',
    '• Chartered Financial Analyst (CFA), CFA Institute, 2016',
    '• Project Management Professional (PMP), 2019',
    '• Currently studying for the FRM Part II exam',
  ].join('\n'),
  zh: [
    '王磊　项目总监',
    '10年以上工作经验，负责大型项目交付',
    '',
    '资格证书：',
    '1. PMP项目管理专业人士（2019年，证书编号1234567）',
    '2. CFA 持证人（2018年）',
    '3. 目前正在备考 FRM Part II',
  ].join('\n'),
};

const WORDS = {
  en: { title: 'Qualifications in your text', held: 'You hold it', mentioned: 'Mentioned, not held', check: 'Check what it brings you', empty: 'Enter the text of your CV or certificate' },
  zh: { title: '您文字中的职业资格', held: '您已持有', mentioned: '仅提及，未持有', check: '评估它能为您带来什么', empty: '请输入简历或证书的文字' },
};

/** The answer's entry for qualification `id`. */
function finding(page, id) {
  return page.locator(`ol.found > li:has(a[href="/entries/${id}"])`);
}

describe('finding qualifications in a CV', () => {
  let h;
  before(async () => { h = await setup(); fs.mkdirSync(SHOTS, { recursive: true }); });
  after(async () => { if (h) await h.teardown(); });

  for (const lang of ['zh', 'en']) {
    for (const [width, size] of [[360, 'phone'], [1280, 'desktop']]) {
      it(`a CV pasted on the home page lists what it names and opens the check filled in (${lang}, ${width} px)`, async () => {
        const w = WORDS[lang];
        const page = await h.page({ lang, width, height: 900 });
        await page.goto(`/?lang=${lang}`);
        await page.fill('#text', CV[lang]);
        await page.evaluate(() => document.fonts.ready);
        await page.locator('section.paste').screenshot({ path: path.join(SHOTS, `text-search-box-${lang}-${size}.png`) });
        await Promise.all([page.waitForURL(/\/search\/text/), page.locator('section.paste button[type=submit]').click()]);

        assert.equal(await text(page.locator('main h1')), w.title);
        const cfa = finding(page, 'cfa-institute-cfa');
        const pmp = finding(page, 'pmi-pmp');
        const frm = finding(page, 'garp-frm');
        for (const [held, li] of [[true, cfa], [true, pmp], [false, frm]]) {
          assert.equal(await li.count(), 1, 'each qualification is listed once');
          const said = await text(li.locator('.holding strong'));
          assert.equal(said, held ? w.held : w.mentioned);
        }
        assert.match(await text(cfa.locator('.in-text mark')), /CFA|Chartered Financial Analyst/, 'the words that name it are quoted');
        assert.equal(await page.locator('#text').inputValue(), CV[lang], 'the box keeps the text exactly');

        const violations = await axe(page, null, lang);
        assert.equal(violations.length, 0, describeViolations(violations));
        const m = await overflow(page, width);
        assert.ok(m.scrollWidth <= width, `no sideways scroll: ${m.wide.join(', ')}`);
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: path.join(SHOTS, `text-search-results-${lang}-${size}.png`), fullPage: true });

        const link = cfa.getByRole('link', { name: new RegExp(`^${w.check}`) });
        await Promise.all([page.waitForURL(/\/check\?entry=cfa-institute-cfa/), link.click()]);
        assert.equal(await page.locator('#entry').inputValue(), 'cfa-institute-cfa', 'the qualification is filled in');
        assert.equal(await page.locator('#experience_years').inputValue(), '10', 'the years the CV states are filled in');
        await page.locator('section.guidance').waitFor();
        const m2 = await overflow(page, width);
        assert.ok(m2.scrollWidth <= width, `no sideways scroll on the check: ${m2.wide.join(', ')}`);
        await page.screenshot({ path: path.join(SHOTS, `text-search-check-${lang}-${size}.png`), fullPage: false });
        await page.context().close();
      });

      it(`an empty box is named in the error summary, and a text naming nothing says what to try (${lang}, ${width} px)`, async () => {
        const w = WORDS[lang];
        const page = await h.page({ lang, width, height: 900 });
        await page.goto(`/check?lang=${lang}`);
        await page.fill('#text', '   ');
        await Promise.all([page.waitForURL(/\/search\/text/), page.locator('section.paste button[type=submit]').click()]);
        await page.waitForSelector('#problems');
        assert.equal(await text(page.locator('#problems li')), w.empty);
        assert.equal(await page.locator('#problems a').getAttribute('href'), '#text');
        assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'problems', 'the summary takes focus');
        assert.match(await text(page.locator('#text-error')), new RegExp(w.empty));
        assert.equal(await page.locator('#text').inputValue(), '   ', 'what was typed is kept');
        assert.match(await page.title(), lang === 'en' ? /^Error:/ : /^错误：/);
        let violations = await axe(page, null, lang);
        assert.equal(violations.length, 0, describeViolations(violations));
        let m = await overflow(page, width);
        assert.ok(m.scrollWidth <= width, `no sideways scroll: ${m.wide.join(', ')}`);
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: path.join(SHOTS, `text-search-error-${lang}-${size}.png`), fullPage: true });

        await page.fill('#text', lang === 'en' ? 'Hobbies: green tea and hiking.' : '爱好：喝茶、远足。');
        await page.locator('section.paste button[type=submit]').click();
        await page.waitForSelector('ul.try');
        assert.equal(await page.locator('ol.found').count(), 0);
        violations = await axe(page, null, lang);
        assert.equal(violations.length, 0, describeViolations(violations));
        m = await overflow(page, width);
        assert.ok(m.scrollWidth <= width, `no sideways scroll: ${m.wide.join(', ')}`);
        await page.screenshot({ path: path.join(SHOTS, `text-search-none-${lang}-${size}.png`), fullPage: true });
        await page.context().close();
      });
    }
  }

  it('works without JavaScript', async () => {
    const page = await h.page({ lang: 'en', width: 1280, javaScriptEnabled: false });
    await page.goto('/search/text?lang=en');
    await page.fill('#text', CV.en);
    await Promise.all([page.waitForURL(/\/search\/text/), page.locator('section.paste button[type=submit]').click()]);
    assert.equal(await finding(page, 'pmi-pmp').count(), 1);
    assert.equal(await page.locator('#text').inputValue(), CV.en);
    await page.context().close();
  });
});
