'use strict';
// The eligibility check as guidance and the entry page, in Chinese and
// English at phone and desktop width: every error at once (a summary that
// takes focus, links to the fields, each message at its field, what was
// typed kept), the structured guidance with the way to apply, benefits
// grouped by who gets them, official sources; screenshots and axe.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { setup, text, axe, describeViolations, overflow, SHOTS } = require('../lib/harness');

const SIZES = [['phone', 360, 740], ['desktop', 1280, 900]];
const VALID = '/check?entry=G80&level=A&age=67&nationality=foreign&beijing_employer=true';
const WORDS = {
  en: {
    submit: 'Check', yes: 'You are likely eligible for recognition', apply: 'Apply for recognition',
    notDecision: /guidance, not a decision/, foreign: 'For foreign nationals', chinese: 'For Chinese nationals',
    everyone: 'For everyone', age: /Enter your age as a whole number from 16 to 100/, entry: /Enter the code of your qualification/,
    check: 'Check what it would bring you',
  },
  zh: {
    submit: '评估', yes: '您很可能符合认可条件', apply: '申请认可',
    notDecision: /仅为参考，不是认可决定/, foreign: '外国人适用', chinese: '中国公民适用',
    everyone: '所有持证人适用', age: /请以 16 至 100 之间的整数填写年龄/, entry: /请填写证书的目录编号/,
    check: '评估该证书可为我带来什么',
  },
};

async function shoot(page, name) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(SHOTS, `guidance-${name}.png`), fullPage: true });
}

async function noSerious(page, url, lang) {
  const v = (await axe(page, null, lang)).filter((x) => x.impact === 'serious' || x.impact === 'critical');
  assert.equal(v.length, 0, `axe on ${url} (${lang}):\n${describeViolations(v)}`);
}

async function noSidewaysScroll(page, width) {
  const m = await overflow(page, width);
  assert.ok(m.scrollWidth <= width, `scrolls sideways at ${width}px: ${m.scrollWidth}; ${m.wide.join(', ')}`);
}

describe('the check as guidance, and the entry page', () => {
  let h;
  before(async () => { h = await setup(); fs.mkdirSync(SHOTS, { recursive: true }); });
  after(async () => { if (h) await h.teardown(); });

  for (const lang of ['zh', 'en']) {
    const w = WORDS[lang];
    for (const [size, width, height] of SIZES) {
      it(`a bad submit lists every error at once, focused, linked to its field (${lang}, ${size})`, async () => {
        const page = await h.page({ lang, width, height });
        await page.goto('/check');
        await page.fill('#age', 'abc');
        await page.fill('#experience_years', '99');
        await Promise.all([page.waitForURL(/\/check\?/), page.getByRole('button', { name: w.submit, exact: true }).click()]);
        const summary = page.locator('#problems');
        await summary.waitFor();
        assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'problems', 'the summary takes focus');
        const links = summary.locator('a');
        assert.equal(await links.count(), 3, 'entry, experience and age, all at once');
        assert.match(await text(summary), w.entry);
        assert.match(await text(summary), w.age);
        for (const field of ['entry', 'experience_years', 'age']) {
          assert.equal(await page.locator(`#${field}`).getAttribute('aria-invalid'), 'true', `${field} is marked`);
          assert.ok((await page.locator(`#${field}`).getAttribute('aria-describedby')).includes(`${field}-error`));
          assert.ok(await page.locator(`#${field}-error`).isVisible(), `${field}: its message at the field`);
        }
        assert.doesNotMatch(await text(page.locator('main')), /experience_years|（age）/, 'no field codes');
        assert.equal(await page.locator('#age').inputValue(), 'abc', 'what was typed is kept');
        assert.equal(await page.locator('#experience_years').inputValue(), '99');
        await noSidewaysScroll(page, width);
        await shoot(page, `errors-${lang}-${size}`);
        await noSerious(page, '/check (errors)', lang);
        // A link in the summary moves to its field.
        await links.nth(2).click();
        assert.equal(await page.evaluate(() => location.hash), '#age');
        assert.ok(await page.locator('#age').isVisible());
        const top = await page.locator('#age').evaluate((el) => el.getBoundingClientRect().top);
        assert.ok(top >= -5 && top < height, `the age field is on screen (top ${top})`);
        await page.context().close();
      });

      it(`a valid check shows structured guidance and the way to apply (${lang}, ${size})`, async () => {
        const page = await h.page({ lang, width, height });
        await page.goto(VALID);
        const box = page.locator('section.guidance');
        await box.waitFor();
        assert.equal(await text(box.locator('#guidance-title')), w.yes);
        assert.match(await text(box), w.notDecision);
        assert.equal(await box.locator('pre').count(), 0, 'not a text block');
        const groups = await box.locator('h4.audience').allInnerTexts();
        assert.deepEqual(groups.map((g) => g.trim()), [w.foreign, w.everyone], 'benefits by who gets them');
        assert.ok(await box.locator('.answers li.no').count() >= 1, 'the work permit is not for a 67-year-old');
        assert.ok(await box.locator('.answers li.yes').count() >= 1);
        const g80 = (await (await page.request.get('/api/v1/entries/G80')).json()).id;
        const apply = box.getByRole('link', { name: w.apply });
        assert.equal(await apply.getAttribute('href'), `/apply?entry=${g80}`);
        assert.match(await text(box.locator('.sources')), /京人社事业发〔2021〕33号/);
        await noSidewaysScroll(page, width);
        await shoot(page, `result-${lang}-${size}`);
        await noSerious(page, VALID, lang);
        await page.context().close();
      });

      it(`an entry page groups benefits and leads to apply (${lang}, ${size})`, async () => {
        const page = await h.page({ lang, width, height });
        await page.goto('/entries/G39');
        const groups = (await page.locator('section[aria-labelledby="benefits"] h3.audience').allInnerTexts()).map((g) => g.trim());
        assert.deepEqual(groups, [w.foreign, w.chinese, w.everyone]);
        const benefits = await text(page.locator('section[aria-labelledby="benefits"]'));
        assert.doesNotMatch(benefits, lang === 'en' ? /Professional title/ : /对应职称/, 'G39 has no title correspondence');
        const g39 = (await (await page.request.get('/api/v1/entries/G39')).json()).id;
        const apply = page.getByRole('link', { name: w.apply }).first();
        assert.equal(await apply.getAttribute('href'), `/apply?entry=${g39}`);
        assert.ok(await page.getByRole('link', { name: w.check }).first().isVisible());
        assert.doesNotMatch(await text(page.locator('dl.facts')), /[（(]需要有两年相关工作经验[）)]/, 'experience as a sentence');
        await noSidewaysScroll(page, width);
        await shoot(page, `entry-G39-${lang}-${size}`);
        await noSerious(page, '/entries/G39', lang);
        await page.context().close();
      });
    }
  }
});
