'use strict';
// An entry page, and the eligibility check from the form to its guidance
// and its shareable link.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setup, text } = require('../lib/harness');

describe('entry page', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  for (const lang of ['zh', 'en']) {
    it(`shows G39 PRINCE2 with both languages' names (${lang})`, async () => {
      const page = await h.page({ lang });
      const resp = await page.goto('/entries/G39');
      assert.equal(resp.status(), 200);
      // The catalogue's own names for G39, from the API.
      const api = await (await page.request.get('/api/v1/entries/G39')).json();
      const name = api.name;
      assert.match(name.en, /PRINCE2/);
      const h1 = await text(page.locator('main h1'));
      const sub = await text(page.locator('main .subtitle'));
      assert.match(`${h1} | ${sub}`, /PRINCE2/, 'PRINCE2 is shown');
      if (lang === 'zh') {
        assert.equal(h1, name.zh, 'the heading is the Chinese name');
        assert.equal(sub, name.en, 'the subtitle is the English name');
        assert.equal(await page.locator('main .subtitle').getAttribute('lang'), 'en');
        assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hans');
      } else {
        assert.equal(h1, name.en, 'the heading is the English name');
        assert.equal(sub, name.zh, 'the subtitle is the Chinese name');
        assert.equal(await page.locator('main .subtitle').getAttribute('lang'), 'zh-Hans');
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      }
      const facts = await text(page.locator('dl.facts'));
      assert.match(facts, /PRINCE2/);
      assert.ok(facts.includes(api.issuers[0].name[lang]), `the issuer is named in ${lang}: ${api.issuers[0].name[lang]}`);
      assert.match(await page.title(), /G39/);
      await page.context().close();
    });
  }
});

describe('eligibility check', () => {
  let h;
  before(async () => { h = await setup(); });
  after(async () => { if (h) await h.teardown(); });

  it('guides G80 level A, age 67, foreign, Beijing employer: likely eligible, no relaxed work permit for age', async () => {
    const page = await h.page({ lang: 'en' });
    await page.goto('/check');
    await page.getByLabel('Qualification (code, e.g. G14, or id)').fill('G80');
    await page.getByLabel('Level or variant held').fill('A');
    await page.getByLabel('Age').fill('67');
    await page.getByLabel('Nationality').selectOption('foreign');
    await page.getByLabel('Employed by an employer in Beijing').selectOption('true');
    await Promise.all([page.waitForURL(/\/check\?.*entry=G80/), page.getByRole('button', { name: 'Check', exact: true }).click()]);

    const box = page.locator('section.guidance');
    await box.waitFor();
    assert.equal(await box.getAttribute('class'), 'guidance yes', 'the box is styled as likely eligible');
    assert.equal(await text(box.locator('#guidance-title')), 'You are likely eligible for recognition');
    const g80 = (await (await page.request.get('/api/v1/entries/G80')).json()).name;
    assert.equal(await text(box.locator('.subject')), `For ${g80.en} (G80)`, 'the guidance names the qualification');
    const withheld = box.locator('.answers li.no', { hasText: 'Relaxed work permit' });
    assert.equal(await withheld.count(), 1, 'the work-permit relaxation would not reach this person');
    assert.match(await text(withheld), /You are 67; the age limit is \d+/);
    assert.equal(await box.locator('.answers li.yes', { hasText: 'Long-term visa or residence permit' }).count(), 1);
    const verdict = await box.innerText();

    // The form keeps what was entered.
    assert.equal(await page.locator('#entry').inputValue(), 'G80');
    assert.equal(await page.locator('#age').inputValue(), '67');
    assert.equal(await page.locator('#nationality').inputValue(), 'foreign');

    // The shareable link reproduces the same decision in a fresh browser context.
    const share = box.getByRole('link', { name: 'Link to this result' });
    const href = await share.getAttribute('href');
    assert.match(href, /^\/check\?/);
    for (const part of ['entry=G80', 'level=A', 'age=67', 'nationality=foreign', 'beijing_employer=true']) {
      assert.ok(href.includes(part), `${href} carries ${part}`);
    }
    const other = await h.page({ lang: 'en' });
    await other.goto(href);
    assert.equal(await other.locator('section.guidance').innerText(), verdict, 'the link shows the same guidance');
    await other.context().close();
    await Promise.all([page.waitForURL((u) => u.pathname + u.search === href), share.click()]);
    assert.equal(await page.locator('section.guidance').innerText(), verdict);
    await page.context().close();
  });

  it('shows the same guidance in Chinese', async () => {
    const page = await h.page({ lang: 'zh' });
    await page.goto('/check?age=67&beijing_employer=true&entry=G80&level=A&nationality=foreign');
    const box = page.locator('section.guidance');
    assert.equal(await text(box.locator('#guidance-title')), '您很可能符合认可条件');
    assert.match(await text(box.locator('.answers li.no', { hasText: '外国人工作许可放宽' })), /您67岁，年龄上限为\d+岁/);
    await page.context().close();
  });

  it('explains an invalid input instead of deciding', async () => {
    const page = await h.page({ lang: 'en' });
    const resp = await page.goto('/check?entry=G80&age=abc');
    assert.equal(resp.status(), 400);
    assert.equal(await page.locator('section.guidance').count(), 0);
    const err = page.getByRole('alert');
    assert.match(await text(err), /Enter your age as a whole number from 16 to 100/);
    await page.context().close();
  });
});
