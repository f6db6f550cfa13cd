'use strict';
// Screenshots for people to look at: home, browse, entry G39 and a check
// decision, in Chinese and English, at desktop and phone width. Saved to
// e2e/screenshots/ (full page, but for the long browse table: the first screen).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { setup, SHOTS } = require('../lib/harness');

const DECISION = '/check?age=67&beijing_employer=true&entry=G80&level=A&nationality=foreign';
const PAGES = [
  ['home', '/', true],
  ['search', '/search?q=teacher', true],
  ['browse', '/browse', false],
  ['entry-G39', '/entries/G39', true],
  ['check-decision', DECISION, true],
];
const SIZES = [['desktop', 1280, 900], ['phone', 360, 740]];

describe('screenshots', () => {
  let h;
  before(async () => { h = await setup(); fs.mkdirSync(SHOTS, { recursive: true }); });
  after(async () => { if (h) await h.teardown(); });

  for (const [name, url, fullPage] of PAGES) {
    for (const lang of ['zh', 'en']) {
      for (const [size, width, height] of SIZES) {
        it(`${name} ${lang} ${size}`, async () => {
          const page = await h.page({ lang, width, height });
          await page.goto(url);
          await page.evaluate(() => document.fonts.ready);
          const file = path.join(SHOTS, `${name}-${lang}-${size}.png`);
          await page.screenshot({ path: file, fullPage });
          assert.ok(fs.statSync(file).size > 5000, `${file} was written`);
          await page.context().close();
        });
      }
    }
  }
});
