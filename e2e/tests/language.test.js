'use strict';
// The header's language switch, remembered in a cookie across pages.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, text } = require('../lib/harness');

describe('language switch', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  it('switches to English from the header and stays English on other pages', async () => {
    const page = await h.page({ lang: 'zh' });
    await page.goto('/entries/G39');
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hans');
    const HAN = /[\u4e00-\u9fff]/;
    assert.match(await text(page.locator('nav a[href="/browse"]')), HAN, 'the navigation is in Chinese');
    const sw = page.locator('header.site a.lang');
    assert.equal(await text(sw), 'English');
    await Promise.all([page.waitForURL(/lang=en/), sw.click()]);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    const g39 = (await (await page.request.get('/api/v1/entries/G39')).json()).name;
    assert.equal(await text(page.locator('main h1')), g39.en, 'the same page, now in English');
    assert.doesNotMatch(await text(page.locator('nav')), HAN, 'the navigation is in English');
    assert.equal(await text(page.locator('header.site a.lang')), '中文');
    const cookies = await page.context().cookies();
    assert.ok(cookies.some((c) => c.name === 'zige_lang' && c.value === 'en'), 'the choice is kept in a cookie');

    // Elsewhere, through a plain link without ?lang=, the page is still English.
    await Promise.all([page.waitForURL(/\/browse$/), page.locator('nav a[href="/browse"]').click()]);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.doesNotMatch(await text(page.locator('main h1')), HAN, 'the browse page is in English');
    assert.doesNotMatch(await text(page.locator('nav')), HAN);
    await Promise.all([page.waitForURL(/\/check$/), page.locator('nav a[href="/check"]').click()]);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.doesNotMatch(await text(page.locator('main h1')), HAN, 'the check page is in English');

    // And back to Chinese the same way.
    await Promise.all([page.waitForURL(/lang=zh/), page.locator('header.site a.lang').click()]);
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hans');
    await page.goto('/data');
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hans');
    assert.match(await text(page.locator('main h1')), HAN);
    await page.context().close();
  });

  it('keeps the query when switching on a search', async () => {
    const page = await h.page({ lang: 'en' });
    await page.goto('/search?q=PMP');
    await Promise.all([page.waitForURL(/lang=zh/), page.locator('header.site a.lang').click()]);
    assert.equal(await page.locator('#q').inputValue(), 'PMP');
    assert.match(await text(page.locator('#results ol.hits li').first()), /G14/);
    assert.match(await text(page.locator('#results-status')), /找到/);
    await page.context().close();
  });
});
