'use strict';
// Keyboard-only use: skip link first, then the navigation, every focus
// visibly outlined, Enter follows a result.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup } = require('../lib/harness');

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      cls: el.className || '',
      href: el.getAttribute('href'),
      text: (el.textContent || '').trim().replace(/\s+/g, ' '),
      outlineStyle: cs.outlineStyle,
      outlineWidth: parseFloat(cs.outlineWidth),
      outlineColor: cs.outlineColor,
      visible: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
      focusVisible: el.matches(':focus-visible'),
    };
  });
}

function assertOutlined(f) {
  assert.ok(f.focusVisible, `${f.tag} ${f.href} matches :focus-visible`);
  assert.notEqual(f.outlineStyle, 'none', `${f.tag} ${f.href} has an outline`);
  assert.ok(f.outlineWidth >= 2, `${f.tag} ${f.href} outline is at least 2px (${f.outlineWidth})`);
  assert.ok(f.visible, `${f.tag} ${f.href} is on screen when focused`);
}

describe('keyboard', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  it('tabs to the skip link first, then the navigation, each focus outlined', async () => {
    const page = await h.page({ lang: 'en' });
    await page.goto('/');
    await page.keyboard.press('Tab');
    const skip = await focused(page);
    assert.equal(skip.cls, 'skip', `the first Tab reaches the skip link (got ${skip.tag}.${skip.cls} ${skip.href})`);
    assert.equal(skip.href, '#main');
    assert.equal(skip.text, 'Skip to content');
    assertOutlined(skip);

    const order = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      assertOutlined(f);
      order.push(f.href);
    }
    const nav = ['/', '/browse', '/check', '/changes', '/data'];
    const navAt = order.indexOf('/browse') - 1;
    assert.deepEqual(order.slice(navAt, navAt + 5), nav, `the nav links follow in order: ${order}`);
    assert.ok(order.slice(0, navAt).every((hr) => hr === '/' || /lang=/.test(hr)), `only the brand and language switch come before the nav: ${order}`);

    // Enter on the skip link moves focus to the main content.
    await page.goto('/');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    await page.keyboard.press('Tab');
    const next = await focused(page);
    assert.equal(next.tag, 'input', `after the skip, Tab reaches the search box (got ${next.tag} ${next.href})`);
    await page.context().close();
  });

  it('types a query and follows a result with Enter', async () => {
    const page = await h.page({ lang: 'en' });
    await page.goto('/');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.type('PRINCE2', { delay: 20 });
    await page.locator('#results ol.hits li', { hasText: 'G39' }).waitFor();
    // Tab past the submit button to the first result.
    let f;
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      f = await focused(page);
      if (f.href && f.href.startsWith('/entries/')) break;
    }
    assert.ok(f.href && f.href.startsWith('/entries/'), `a result link has the focus (got ${f.tag} ${f.href})`);
    assertOutlined(f);
    assert.match(f.text, /G39/);
    await Promise.all([page.waitForURL(/\/entries\//), page.keyboard.press('Enter')]);
    assert.match(page.url(), new RegExp(`${f.href}$`), 'the followed link is the focused one');
    assert.match((await page.locator('main h1').innerText()).trim(), /PRINCE2/);
    await page.context().close();
  });
});
