'use strict';
// Phone width (360x740) and a tablet width (800): no horizontal scrolling. And every main page's
// HTML stays under 60 KB uncompressed.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, overflow } = require('../lib/harness');

const DECISION = '/check?age=67&beijing_employer=true&entry=G80&level=A&nationality=foreign';
const PHONE_PAGES = ['/', '/search?q=teacher', '/browse', '/entries/G39', '/check', DECISION, '/data', '/changes'];
const SIZE_PAGES = ['/', '/search?q=PMP', '/browse', '/entries/G39', '/check', DECISION, '/changes', '/data'];
const LIMIT = 60 * 1024;

describe('phone width', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  for (const lang of ['zh', 'en']) {
    for (const url of PHONE_PAGES) {
      it(`${url} (${lang}) does not scroll sideways at 360 px`, async () => {
        const page = await h.page({ lang, width: 360, height: 740 });
        await page.goto(url);
        const m = await overflow(page, 360);
        assert.ok(m.scrollWidth <= 360, `scrollWidth ${m.scrollWidth} > 360; widest elements: ${m.wide.join(', ')}`);
        await page.context().close();
      });
    }
  }
});

describe('tablet width', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  // Just above the 48rem breakpoint the two-column browse layout is in force.
  for (const lang of ['zh', 'en']) {
    for (const url of ['/', '/browse', '/entries/G39', DECISION, '/data']) {
      it(`${url} (${lang}) does not scroll sideways at 800 px`, async () => {
        const page = await h.page({ lang, width: 800, height: 1000 });
        await page.goto(url);
        const m = await overflow(page, 800);
        assert.ok(m.scrollWidth <= 800, `scrollWidth ${m.scrollWidth} > 800; widest elements: ${m.wide.join(', ')}`);
        await page.context().close();
      });
    }
  }
});

describe('page weight', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  for (const lang of ['zh', 'en']) {
    for (const url of SIZE_PAGES) {
      it(`${url} (${lang}) HTML is under 60 KB`, async () => {
        const r = await fetch(h.base + url, { headers: { 'accept-language': lang, 'accept-encoding': 'identity' } });
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type'), /text\/html/);
        const bytes = Buffer.from(await r.arrayBuffer()).length;
        console.log(`  ${lang} ${url}: ${bytes} bytes`);
        assert.ok(bytes < LIMIT, `${url} is ${bytes} bytes (limit ${LIMIT})`);
      });
    }
  }
});
