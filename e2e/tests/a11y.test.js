'use strict';
// axe-core on the main pages in both languages: no serious or critical
// violation. Every violation found is printed.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, injectAxe } = require('../lib/harness');

const DECISION = '/check?age=67&beijing_employer=true&entry=G80&level=A&nationality=foreign';
const PAGES = ['/', '/search?q=PMP', '/browse', '/browse?field=finance', '/entries/G39', DECISION, '/data', '/changes', '/check/batch'];

function describeViolations(url, lang, violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n');
    return `  [${v.impact}] ${v.id} (${lang} ${url}): ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'}) ${v.helpUrl}\n${nodes}`;
  }).join('\n');
}

describe('accessibility (axe-core)', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  it('axe itself finds a planted violation (the scan is live)', async () => {
    const page = await h.page({ lang: 'en' });
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><img src="x.png"><a href="/x"></a></main></html>');
    await injectAxe(page);
    const ids = (await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }))).violations.map((v) => v.id);
    assert.ok(ids.includes('image-alt') && ids.includes('link-name'), `axe reports the planted problems: ${ids}`);
    await page.context().close();
  });

  for (const lang of ['zh', 'en']) {
    for (const url of PAGES) {
      it(`${url} (${lang}) has no serious or critical violation`, async () => {
        const page = await h.page({ lang });
        const resp = await page.goto(url);
        assert.equal(resp.status(), 200);
        await injectAxe(page);
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        const violations = result.violations;
        if (violations.length) console.log(`axe violations on ${url} (${lang}):\n${describeViolations(url, lang, violations)}`);
        const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.equal(bad.length, 0, `serious/critical violations:\n${describeViolations(url, lang, bad)}`);
        await page.context().close();
      });
    }
  }
});
