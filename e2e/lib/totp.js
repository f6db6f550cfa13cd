'use strict';
/**
 * RFC 6238 codes (HMAC-SHA-1, 6 digits, 30-second steps) for the staff
 * accounts the tests create with `zige admin create-user --with-totp`.
 * A code works only once per account, so each sign-in takes a step not
 * used before, waiting for the next step when needed.
 */
const crypto = require('node:crypto');

const STEP_MS = 30000;

/** RFC 4648 base32 (no padding) to bytes. */
function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let acc = 0;
  const out = [];
  for (const ch of s.replace(/[\s=-]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The 6-digit code of `secret` (base32) at step `step`. */
function codeAtStep(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const off = h[19] & 0x0f;
  const bin = ((h[off] & 0x7f) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3];
  return String(bin % 1000000).padStart(6, '0');
}

/** The secret printed by `zige admin create-user --with-totp`. */
function secretFrom(stdout) {
  const m = /^totp-secret: ([A-Z2-7]+)$/m.exec(stdout);
  if (!m) throw new Error(`no totp-secret line in:\n${stdout}`);
  return m[1];
}

const secrets = new Map();
const lastStep = new Map();

/** Remembers an account's secret from the command's output. */
function remember(email, stdout) {
  secrets.set(email, secretFrom(stdout));
}

/** A code for `email` of a step not used yet (waits for one if needed). */
async function codeFor(email) {
  const secret = secrets.get(email);
  if (!secret) throw new Error(`no TOTP secret remembered for ${email}`);
  for (;;) {
    const now = Math.floor(Date.now() / STEP_MS);
    const step = Math.max(now, (lastStep.get(email) ?? -1) + 1);
    if (step <= now + 1) {
      lastStep.set(email, step);
      return codeAtStep(secret, step);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

module.exports = { base32Decode, codeAtStep, secretFrom, remember, codeFor, has: (email) => secrets.has(email) };
