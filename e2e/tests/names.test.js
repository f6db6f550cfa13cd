'use strict';
// Names that identify, searches that page, and browse on a phone: at 360 and
// 1280 px in Chinese and English. Browse shows its first result on the first
// screen of a phone with the "Filter" control closed (opening it shows the
// filters), and empty filter options are text; the search page pages with
// "Previous / Next"; the entry page shows the display name and the official
// one. Screenshots of each, and axe on each.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { setup, axe, describeViolations, overflow, SHOTS } = require('../lib/harness');

const SIZES = [['phone', 360, 740], ['desktop', 1280, 900]];
const WORDS = {
  zh: { filter: '筛选', official: '官方名称', next: '下一页', prev: '上一页', showing: /第 21–\d+ 项，共 \d+ 项/ },
  en: { filter: 'Filter', official: 'Official name (Chinese)', next: 'Next page', prev: 'Previous page', showing: /Showing 21–\d+ of \d+/ },
};

async function shot(page, name, lang, size, fullPage = false) {
  await page.evaluate(() => document.fonts.ready);
  const file = path.join(SHOTS, `names-${name}-${lang}-${size}.png`);
  await page.screenshot({ path: file, fullPage });
  assert.ok(fs.statSync(file).size > 5000, `${file} was written`);
}

async function noSeriousViolations(page, lang) {
  const found = (await axe(page, null, lang)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.equal(found.length, 0, `axe:\n${describeViolations(found)}`);
}

describe('names, paging and browse filters', () => {
  let h;
  before(async () => { h = await setup(); fs.mkdirSync(SHOTS, { recursive: true }); });
  after(async () => { if (h) await h.teardown(); });

  for (const lang of ['zh', 'en']) {
    const w = WORDS[lang];
    for (const [size, width, height] of SIZES) {
      it(`browse (${lang}, ${size}): results first, filters behind "${w.filter}"`, async () => {
        const page = await h.page({ lang, width, height });
        await page.goto('/browse?field=education');
        const panel = page.locator('details.filters');
        const summary = panel.locator('summary');
        assert.match(await summary.innerText(), new RegExp(w.filter));
        assert.match(await summary.innerText(), /1/, 'the control counts the active filter');
        const firstRow = page.locator('table.entries tbody tr').first();
        const firstFacet = panel.locator('ul.facet').first();
        if (size === 'phone') {
          assert.equal(await panel.evaluate((d) => d.open), false, 'closed on a phone');
          assert.equal(await firstFacet.isVisible(), false, 'filters hidden until asked for');
          const box = await firstRow.boundingBox();
          assert.ok(box && box.y + box.height <= height, `first result within the first screen (bottom at ${box && box.y + box.height})`);
          await shot(page, 'browse', lang, size);
          await summary.click();
          assert.equal(await firstFacet.isVisible(), true, 'opening the control shows the filters');
          await shot(page, 'browse-open', lang, size);
          const m = await overflow(page, width);
          assert.ok(m.scrollWidth <= width, `no sideways scroll: ${m.wide.join(', ')}`);
        } else {
          assert.equal(await firstFacet.isVisible(), true, 'filters visible on a wide screen');
          await shot(page, 'browse', lang, size);
        }
        // Options with no entries are text: no link, nothing to focus.
        const empty = panel.locator('ul.facet .empty');
        assert.ok(await empty.count() > 0, 'some option is empty under this filter');
        assert.equal(await empty.first().evaluate((el) => el.closest('a') === null && el.querySelector('a') === null && el.tabIndex < 0), true);
        await noSeriousViolations(page, lang);
        await page.context().close();
      });

      it(`search (${lang}, ${size}): pages past 20 with previous and next`, async () => {
        const page = await h.page({ lang, width, height });
        await page.goto('/search?q=%E6%95%99%E5%B8%88');
        const nav = page.locator('nav.pager');
        await nav.waitFor();
        await Promise.all([page.waitForURL(/page=2/), nav.locator('a[rel=next]').click()]);
        const shown = await page.locator('nav.pager .pager-showing').innerText();
        assert.match(shown, w.showing);
        assert.equal(await page.locator('nav.pager a[rel=prev]').innerText().then((t) => t.includes(w.prev)), true);
        await shot(page, 'search-page2', lang, size, true);
        const m = await overflow(page, width);
        assert.ok(m.scrollWidth <= width, `no sideways scroll: ${m.wide.join(', ')}`);
        await noSeriousViolations(page, lang);
        await page.context().close();
      });

      it(`search as you type (${lang}, ${size}): the best match first, related after`, async () => {
        const page = await h.page({ lang, width, height });
        await page.goto('/');
        await page.locator('#q').fill(lang === 'zh' ? '加州教师' : 'teacher california');
        await page.locator('ol.hits.related').waitFor();
        const first = await page.locator('ol.hits li').first().innerText();
        assert.match(first, /G60/);
        if (lang === 'zh') assert.match(first, /教师资格证书（美国加利福尼亚州）/);
        assert.ok(await page.locator('ol.hits.related li').count() >= 19, 'related teaching entries fill the first page');
        assert.ok(await page.locator('nav.pager a[rel=next]').count() === 1, 'a way on past the first 20');
        await shot(page, 'search-live', lang, size);
        await noSeriousViolations(page, lang);
        await page.context().close();
      });

      it(`entry G80 (${lang}, ${size}): display name and official name`, async () => {
        const page = await h.page({ lang, width, height });
        await page.goto('/entries/G80');
        const heading = await page.locator('h1').innerText();
        if (lang === 'zh') assert.equal(heading, '足球教练员等级证书（欧足联，B级及以上）');
        else assert.match(heading, /UEFA/);
        const facts = await page.locator('dl.facts').innerText();
        assert.ok(facts.includes(w.official), 'the official name is labelled');
        assert.ok(facts.includes('足球教练员等级证书 (B级及以上)'), 'the official name is shown verbatim');
        await shot(page, 'entry-G80', lang, size);
        await noSeriousViolations(page, lang);
        await page.context().close();
      });
    }
  }

  it('browse filters open on a wide screen without JavaScript, and close on a phone', async () => {
    for (const [size, width, height] of SIZES) {
      const page = await h.page({ lang: 'en', width, height, javaScriptEnabled: false });
      await page.goto('/browse');
      const visible = await page.locator('details.filters ul.facet').first().isVisible();
      assert.equal(visible, size === 'desktop', `${size}: filters visible ${visible}`);
      await page.context().close();
    }
  });
});
