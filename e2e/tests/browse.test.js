'use strict';
// Browsing with facets: each click narrows the list, the count and the rows
// agree, and every row shown matches the chosen facets.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, text } = require('../lib/harness');

/** The number in "N entries" / "共 N 项" / "One entry". */
function countOf(s) {
  const m = s.match(/\d+/);
  if (m) return Number(m[0]);
  if (/^One entry/i.test(s)) return 1;
  throw new Error(`no count in ${JSON.stringify(s)}`);
}

/** Facet links of one group (by its heading) with label, count, href. */
async function facetLinks(page, heading) {
  return page.evaluate((heading) => {
    const h2 = [...document.querySelectorAll('aside h2')].find((x) => x.textContent.trim() === heading);
    if (!h2) return null;
    const ul = h2.nextElementSibling;
    return [...ul.querySelectorAll('a')].map((a) => {
      const count = a.querySelector('.count');
      return {
        label: a.textContent.replace(count ? count.textContent : '', '').trim(),
        count: count ? Number(count.textContent.trim()) : NaN,
        href: a.getAttribute('href'),
        on: a.classList.contains('on'),
      };
    });
  }, heading);
}

async function shown(page) {
  return {
    count: countOf(await text(page.locator('#showing'))),
    rows: await page.locator('table.entries tbody tr').count(),
  };
}

describe('browse', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  it('narrows by a field facet and then a region facet, counts and rows agreeing', async () => {
    const page = await h.page({ lang: 'en' });
    await page.goto('/browse');
    const all = await shown(page);
    assert.ok(all.count > 100, `the whole catalogue is listed (${all.count})`);
    assert.equal(all.rows, all.count, 'as many rows as the count says');

    // A field facet with more than one entry but not all of them.
    const fields = await facetLinks(page, 'Field');
    assert.ok(fields && fields.length > 1, 'field facets are shown');
    const field = fields.filter((f) => f.count > 1 && f.count < all.count).sort((a, b) => b.count - a.count)[0];
    await Promise.all([page.waitForURL(/field=/), page.locator('aside a', { hasText: field.label }).first().click()]);
    const afterField = await shown(page);
    assert.equal(afterField.count, field.count, `the count is the facet's count (${field.label})`);
    assert.equal(afterField.rows, afterField.count);
    assert.ok(afterField.count < all.count);
    const fieldNow = (await facetLinks(page, 'Field')).find((f) => f.label === field.label);
    assert.ok(fieldNow && fieldNow.on, 'the chosen field is marked as selected');
    assert.equal(await page.locator('aside a.on[aria-current="true"]').count(), 1);

    // Then a region facet within that field, that narrows further if possible.
    const regions = await facetLinks(page, 'Country or region');
    const candidates = regions.filter((r) => r.count > 0 && !r.on).sort((a, b) => (a.count < afterField.count) === (b.count < afterField.count) ? b.count - a.count : (a.count < afterField.count ? -1 : 1));
    const region = candidates[0];
    assert.ok(region, 'a region facet is offered');
    const fieldKey = new URL(page.url()).searchParams.get('field');
    await Promise.all([page.waitForURL(/region=/), page.locator('aside a', { hasText: region.label }).first().click()]);
    const afterRegion = await shown(page);
    assert.equal(afterRegion.count, region.count, `the count is the region facet's count (${region.label})`);
    assert.equal(afterRegion.rows, afterRegion.count);
    assert.ok(afterRegion.count <= afterField.count && afterRegion.count > 0);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('field'), fieldKey, 'the field filter is kept');
    assert.ok(url.searchParams.get('region'));
    assert.equal(await page.locator('aside a.on').count(), 2, 'both chosen facets are marked');

    // Every row is in that region (its column says so) and in that field (its entry says so).
    const rows = await page.locator('table.entries tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      code: tr.querySelector('td.code').textContent.trim(),
      href: tr.querySelector('a').getAttribute('href'),
      region: tr.children[3].textContent.trim(),
    })));
    for (const r of rows) {
      assert.ok(r.region.includes(region.label), `${r.code} is in ${region.label} (row says ${r.region})`);
      const res = await page.request.get(`/api/v1${r.href}`);
      assert.equal(res.status(), 200);
      const e = await res.json();
      const entry = e.entry || e;
      assert.ok(entry.fields.some((f) => f.key === fieldKey), `${r.code} has field ${fieldKey}`);
    }

    // "Clear all filters" brings everything back.
    await Promise.all([page.waitForURL(/\/browse$/), page.locator('aside a', { hasText: 'Clear all filters' }).click()]);
    assert.equal((await shown(page)).count, all.count);
    await page.context().close();
  });

  it('shows the same filtering in Chinese', async () => {
    const page = await h.page({ lang: 'zh' });
    await page.goto('/browse?list=urgent');
    const s = await shown(page);
    assert.match(await text(page.locator('#showing')), /^共 \d+ 项$/);
    assert.equal(s.rows, s.count);
    assert.ok(s.count >= 1 && s.count < 20);
    const codes = await page.locator('table.entries tbody td.code').allInnerTexts();
    assert.ok(codes.every((c) => /^U\d+$/.test(c.trim())), `only list U rows: ${codes}`);
    await page.context().close();
  });
});
