'use strict';
// Decisions as Verifiable Credentials, checked by an independent
// implementation (Digital Bazaar's @digitalbazaar/vc with the
// eddsa-jcs-2022 cryptosuite and the Bitstring Status List) run offline:
// a fresh credential verifies; a changed field fails; one signed with a
// retired key still verifies; a revoked one shows revoked through its
// status list. The public verification page, in Chromium, says the same of
// a pasted credential (valid, tampered with, revoked), in both languages
// at phone and desktop width.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { setup, runZige, axe, describeViolations, overflow, SHOTS } = require('../lib/harness');
const totp = require('../lib/totp');
const { verifier } = require('../lib/credentials');

const STAFF_PASSWORD = 'staff password 1';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('decisions as verifiable credentials', () => {
  let h;
  let server;
  let check;
  let code;

  /** A JSON API call; `token` signs it in. */
  async function api(method, path, { body, token, raw, type } = {}) {
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (type) headers['content-type'] = type;
    const r = await fetch(`${server.base}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await r.text();
    return { status: r.status, type: r.headers.get('content-type'), json: () => JSON.parse(text), text };
  }

  async function staff(email, role) {
    const r = runZige(['admin', 'create-user', '--email', email, '--role', role, '--password-stdin', '--with-totp', '--data-dir', server.dataDir], `${STAFF_PASSWORD}\n`);
    assert.equal(r.status, 0, r.stderr);
    totp.remember(email, r.stdout);
    const s = await api('POST', '/api/v1/session', { body: { email, password: STAFF_PASSWORD, code: await totp.codeFor(email) } });
    assert.equal(s.status, 201, s.text);
    return s.json().token;
  }

  before(async () => {
    h = await setup();
    server = h.server;
    check = await verifier(server.base);
    await api('POST', '/api/v1/accounts', { body: { email: 'ada@example.org', password: 'correct horse battery' } });
    const ada = (await api('POST', '/api/v1/session', { body: { email: 'ada@example.org', password: 'correct horse battery' } })).json().token;
    const form = {
      holder_name: 'Ada Lovelace',
      profile: { entry: 'G7', age: 40, nationality: 'foreign', education: 'master', beijing_employer: true },
      certificate: { number: 'CFA-2020-12345', issuer: 'CFA Institute', issued_on: '2020-05-01' },
    };
    const id = (await api('POST', '/api/v1/applications', { body: form, token: ada })).json().id;
    const upload = Buffer.concat([Buffer.from('--B\r\nContent-Disposition: form-data; name="file"; filename="c.pdf"\r\n\r\n'), PDF, Buffer.from('\r\n--B--\r\n')]);
    assert.equal((await api('POST', `/api/v1/applications/${id}/evidence`, { raw: upload, type: 'multipart/form-data; boundary=B', token: ada })).status, 201);
    assert.equal((await api('POST', `/api/v1/applications/${id}/submit`, { token: ada })).status, 200);
    const reviewer = await staff('rev@example.org', 'reviewer');
    const decided = await api('POST', `/api/v1/applications/${id}/decision`, { body: { outcome: 'approved' }, token: reviewer });
    assert.equal(decided.status, 201, decided.text);
    code = decided.json().verification_code;
  });
  after(async () => { if (h) await h.teardown(); });

  /**
   * Pastes `vc` into the verification page in `lang` at `width` px; the
   * verdict's heading. The page is checked with axe, must not scroll
   * sideways, and is saved as a screenshot named `shot`.
   */
  async function pasted(vc, { lang, width, shot }) {
    const page = await h.page({ lang, width, height: 900 });
    await page.goto(`/verify?lang=${lang}`);
    await page.fill('#credential', JSON.stringify(vc, null, 2));
    await page.click('form[action="/verify/credential"] button[type=submit]');
    const verdict = (await page.locator('#result').innerText()).trim();
    const violations = await axe(page, null, lang);
    assert.deepEqual(violations, [], describeViolations(violations));
    const { scrollWidth, wide } = await overflow(page, width);
    assert.ok(scrollWidth <= width, `scrolls sideways at ${width}px: ${wide.join(', ')}`);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: path.join(SHOTS, `verify-credential-${shot}-${lang}-${width}.png`), fullPage: true });
    const kept = await page.inputValue('#credential');
    await page.context().close();
    return { verdict, kept };
  }

  async function credential() {
    const r = await api('GET', `/api/v1/decisions/${code}/credential`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.type, 'application/vc');
    return r.json();
  }

  it('a fresh credential verifies, with its status list, and is not revoked', async () => {
    const vc = await credential();
    const result = await check.verify(vc);
    assert.equal(result.verified, true, String(result.error && result.results?.[0]?.error));
    assert.equal(result.statusResult.verified, true);
    assert.equal(await check.revoked(vc), false);
    assert.equal(vc.credentialSubject.name, 'Ada Lovelace');
    assert.doesNotMatch(JSON.stringify(vc), /CFA-2020-12345|ada@example\.org/, 'no personal data beyond the name');
  });

  it('a credential with any field changed fails', async () => {
    const vc = await credential();
    for (const change of [
      (c) => { c.credentialSubject.name = 'Mallory'; },
      (c) => { c.validFrom = '2020-01-01T00:00:00Z'; },
      (c) => { c.credentialStatus.statusListIndex = '2'; },
    ]) {
      const changed = structuredClone(vc);
      change(changed);
      const result = await check.verify(changed);
      assert.equal(result.verified, false, JSON.stringify(changed).slice(0, 200));
    }
  });

  it('the verification page says a pasted credential is valid, or tampered with, in both languages', async () => {
    const vc = await credential();
    const changed = structuredClone(vc);
    changed.credentialSubject.name = 'Mallory';
    for (const [lang, valid, tampered] of [['en', 'VALID', 'TAMPERED WITH'], ['zh', '有效', '已被篡改']]) {
      for (const width of [360, 1280]) {
        assert.equal((await pasted(vc, { lang, width, shot: 'valid' })).verdict, valid);
        const r = await pasted(changed, { lang, width, shot: 'tampered' });
        assert.equal(r.verdict, tampered);
        assert.match(r.kept, /Mallory/, 'what was pasted stays in the box');
      }
    }
  });

  it('after `zige keys rotate`, a credential signed with the retired key still verifies', async () => {
    const before = await credential();
    const r = runZige(['keys', 'rotate', '--data-dir', server.dataDir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /new signing key/);
    const after = await credential();
    assert.notEqual(after.proof.verificationMethod, before.proof.verificationMethod, 'the running server signs with the new key');
    for (const vc of [before, after]) {
      const result = await check.verify(vc);
      assert.equal(result.verified, true, String(result.results?.[0]?.error));
    }
  });

  it('once its decision is revoked, the same credential reads revoked', async () => {
    const vc = await credential();
    const admin = await staff('admin@example.org', 'admin');
    const r = await api('POST', `/api/v1/decisions/${code}/revoke`, { body: { reason: 'certificate withdrawn' }, token: admin });
    assert.equal(r.status, 200, r.text);
    assert.equal(await check.revoked(vc), true);
    // The proof still holds (nothing was changed); the status says revoked.
    const result = await check.verify(vc);
    assert.equal(result.verified, true);
    assert.equal(result.statusResult.results[0].status, true);
    const page = await pasted(vc, { lang: 'en', width: 360, shot: 'revoked' });
    assert.equal(page.verdict, 'REVOKED');
  });
});
