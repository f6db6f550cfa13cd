'use strict';
// Batch checks as an HR officer meets them on a phone and a desktop, in
// both languages: the page explains the columns; a file with mistakes
// comes back as the page with every problem listed (row and column), the
// summary taking focus; a good file downloads answered.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setup, axe, describeViolations, overflow, SHOTS } = require('../lib/harness');

const BAD = 'person,entry,age,salary\nAna,G7,34,1\nBo,G7,300,2\n';
const GOOD = 'person,entry,age,education\nAna,G7,34,master\n王芳,U1,41,doctorate\n';

function file(name, text) {
  const at = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zige-batch-')), name);
  fs.writeFileSync(at, text);
  return at;
}

describe('batch checks', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  for (const lang of ['zh', 'en']) {
    for (const [width, size] of [[360, 'phone'], [1280, 'desktop']]) {
      it(`a wrong file is named cell by cell and a good one downloads answered (${lang}, ${width} px)`, async () => {
        const page = await h.page({ lang, width, height: 800 });
        await page.goto(`/check/batch?lang=${lang}`);
        assert.deepEqual(await axe(page, null, lang), [], 'no axe violation on the page');
        await page.setInputFiles('#file', file('people.csv', BAD));
        await page.locator('form[enctype] button[type=submit]').click();
        await page.waitForSelector('#problems');
        const problems = await page.locator('#problems li').allInnerTexts();
        assert.equal(problems.length, 1, `the unknown column alone: ${problems}`);
        assert.match(problems[0], lang === 'en' ? /Row 1, column D/ : /第 1 行 D 列/);
        const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
        assert.equal(focused, 'problems', 'the summary takes focus');
        const violations = await axe(page, null, lang);
        assert.equal(violations.length, 0, describeViolations(violations));
        const m = await overflow(page, width);
        assert.ok(m.scrollWidth <= width, `no sideways scroll: ${m.wide}`);
        await page.screenshot({ path: path.join(SHOTS, `batch-refused-${lang}-${size}.png`), fullPage: true });
        await page.setInputFiles('#file', file('people.csv', GOOD));
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.locator('form[enctype] button[type=submit]').click(),
        ]);
        assert.equal(download.suggestedFilename(), 'zige-batch-check.csv');
        const answered = fs.readFileSync(await download.path(), 'utf8');
        assert.match(answered, lang === 'en' ? /Verdict/ : /结论/);
        assert.match(answered, /王芳,U1,41,doctorate,U1 /);
        await page.context().close();
      });
    }
  }
});
