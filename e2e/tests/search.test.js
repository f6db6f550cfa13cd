'use strict';
// Searching: results as you type, Chinese queries, and the server-rendered
// fallback that works without JavaScript.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, text } = require('../lib/harness');

describe('search', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  it('shows results as you type, without submitting, with matches highlighted', async () => {
    const page = await h.page({ lang: 'en' });
    await page.goto('/');
    // A marker on window survives only if the page is not reloaded.
    await page.evaluate(() => { window.__sameDocument = true; });
    let loads = 0;
    page.on('load', () => { loads++; });
    await page.locator('#q').pressSequentially('Kubernets admin', { delay: 30 });
    const first = page.locator('#results ol.hits li').first();
    await first.waitFor();
    const hit = page.locator('#results ol.hits li', { hasText: 'G31' });
    await hit.waitFor();
    assert.match(await text(hit), /Certified Kubernetes Administrator/);
    const marks = await hit.locator('mark').allInnerTexts();
    assert.ok(marks.length > 0, 'the G31 result highlights what matched with <mark>');
    assert.ok(marks.some((m) => /kubernetes|admin/i.test(m)), `highlighted text is part of the match: ${JSON.stringify(marks)}`);
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded (form not submitted)');
    assert.equal(loads, 0, 'no page load happened while typing');
    // The address follows the query (history.replaceState), so it can be shared.
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/search?q=Kubernets%20admin');
    assert.match(await text(page.locator('#results-status')), /qualifications? match/);
    assert.equal(await hit.locator('a').getAttribute('href') !== null, true);
    await page.context().close();
  });

  it('finds 加州教师 with the California teaching credential (G60) first', async () => {
    const page = await h.page({ lang: 'zh' });
    await page.goto('/');
    await page.locator('#q').fill('加州教师');
    const first = page.locator('#results ol.hits li').first();
    await first.waitFor();
    await page.waitForFunction(() => {
      const li = document.querySelector('#results ol.hits li');
      return li && li.querySelector('.code') && li.querySelector('.code').textContent.trim() !== '';
    });
    assert.equal((await first.locator('.code').innerText()).trim(), 'G60');
    assert.match(await text(first), /教师资格证书/);
    assert.match(await text(first), /California/);
    assert.match(await text(page.locator('#results-status')), /找到 \d+ 项职业资格/);
    await page.context().close();
  });

  it('clearing the box clears the results and the address', async () => {
    const page = await h.page({ lang: 'en' });
    await page.goto('/');
    await page.locator('#q').fill('PMP');
    await page.locator('#results ol.hits li').first().waitFor();
    assert.match(page.url(), /\/search\?q=PMP$/);
    await page.locator('#q').fill('');
    await page.waitForFunction(() => document.querySelectorAll('#results ol.hits li').length === 0);
    await page.waitForTimeout(300);
    const u = new URL(page.url());
    assert.ok(u.pathname === '/' && !u.searchParams.get('q'), `after clearing, the address holds no query (${u.pathname}${u.search}), so a reload or a shared link does not bring the old results back`);
    await page.context().close();
  });

  it('renders results on the server when JavaScript is off (/search?q=PMP)', async () => {
    const page = await h.page({ lang: 'en', javaScriptEnabled: false });
    const resp = await page.goto('/search?q=PMP');
    assert.equal(resp.status(), 200);
    const first = page.locator('#results ol.hits li').first();
    assert.equal((await first.locator('.code').innerText()).trim(), 'G14');
    assert.match(await text(first), /Project Management Professional/);
    assert.equal(await page.locator('#q').inputValue(), 'PMP', 'the query stays in the box');
    // The raw HTML (before any script) already carries the hit.
    const html = await resp.text();
    assert.match(html, /href="\/entries\/[^"]+"><span class="code">G14<\/span>/);
    // Submitting the form without JS also works.
    await page.locator('#q').fill('CFA');
    await Promise.all([page.waitForURL(/\/search\?q=CFA/), page.locator('form.search button[type=submit]').click()]);
    assert.ok(await page.locator('#results ol.hits li').count() > 0);
    assert.match(await text(page.locator('#results ol.hits li').first()), /Chartered Financial Analyst|CFA/);
    await page.context().close();
  });
});
