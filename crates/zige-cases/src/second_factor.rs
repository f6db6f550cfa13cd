//! The second factor of signing in: time-based one-time passwords
//! (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps) and single-use
//! recovery codes. Pure: the caller gives the time, the random bytes and
//! the last step already used.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Digits of a code.
pub const DIGITS: usize = 6;
/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Bytes of a secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Random bytes per recovery code (80 bits, 16 characters).
pub const RECOVERY_BYTES: usize = 10;
/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "Zige";

/// The step of an instant (milliseconds since the epoch).
pub fn step_at(unix_ms: i64) -> i64 {
    unix_ms.div_euclid(1000).div_euclid(STEP_SECONDS)
}

/// The code of one step (HOTP of RFC 4226 with the step as counter).
pub fn code_at_step(secret: &[u8], step: i64) -> String {
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&(step as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[19] & 0x0f) as usize;
    let bin = (u32::from(h[off] & 0x7f) << 24)
        | (u32::from(h[off + 1]) << 16)
        | (u32::from(h[off + 2]) << 8)
        | u32::from(h[off + 3]);
    format!("{:06}", bin % 1_000_000)
}

/// The code at an instant.
pub fn code_at(secret: &[u8], unix_ms: i64) -> String {
    code_at_step(secret, step_at(unix_ms))
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a typed 6-digit code at `unix_ms`, one step early or late
/// allowed (clock drift, typing time). A step at or before `last_step`
/// (already used) never matches, so a code works once. Answers the
/// matched step, to be stored as the new last step.
pub fn verify(secret: &[u8], typed: &str, unix_ms: i64, last_step: i64) -> Option<i64> {
    let typed = totp_digits(typed)?;
    let now = step_at(unix_ms);
    let mut found = None;
    for step in [now - 1, now, now + 1] {
        let matches = constant_eq(code_at_step(secret, step).as_bytes(), typed.as_bytes());
        if matches && step > last_step && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// The six digits of a typed code (spaces and dashes dropped), if it is one.
pub fn totp_digits(typed: &str) -> Option<String> {
    let d: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (d.len() == DIGITS && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

/// RFC 4648 base32 without padding, as authenticator apps take secrets.
pub fn base32(bytes: &[u8]) -> String {
    crate::base32_with(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", bytes)
}

/// Decodes RFC 4648 base32 (any case, spaces and padding ignored).
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !matches!(c, ' ' | '=' | '-')) {
        let v = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u32 - 'A' as u32,
            c @ '2'..='7' => c as u32 - '2' as u32 + 26,
            _ => return None,
        };
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// The secret in groups of four characters, for typing by hand.
pub fn grouped(secret: &[u8]) -> String {
    base32(secret)
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn uri_enc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                o.push(b as char)
            }
            _ => o.push_str(&format!("%{b:02X}")),
        }
    }
    o
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(email: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{ISSUER}:{}?secret={}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        uri_enc(email),
        base32(secret)
    )
}

/// A recovery code from random bytes: 16 Crockford base32 characters in
/// groups of four (`7K3M-Q9TX-…`).
pub fn recovery_code(random: &[u8; RECOVERY_BYTES]) -> String {
    let s = crate::base32(random);
    s.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A typed recovery code normalised (upper case, dashes and spaces
/// dropped, O read as 0, I and L as 1), if it can be one.
pub fn normalize_recovery(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(16);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if c.is_ascii_digit() || (c.is_ascii_uppercase() && c != 'U') => c,
            _ => return None,
        };
        out.push(c);
    }
    (out.len() == 16).then_some(out)
}

/// What is stored of a recovery code: the SHA-256 of its normalised form
/// (80 random bits make a slow hash unnecessary).
pub fn recovery_hash(typed: &str) -> Option<String> {
    normalize_recovery(typed).map(|n| crate::sha256_hex(format!("zige-recovery:{n}").as_bytes()))
}

/// What a person typed as their second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    /// Six digits from the authenticator app.
    Totp(String),
    /// A recovery code, as its stored hash.
    Recovery(String),
}

/// Reads a typed second factor: a 6-digit code or a recovery code.
pub fn parse(typed: &str) -> Option<Typed> {
    if typed.chars().count() > 64 {
        return None;
    }
    if let Some(d) = totp_digits(typed) {
        return Some(Typed::Totp(d));
    }
    recovery_hash(typed).map(Typed::Recovery)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_the_rfc_6238_sha1_vectors() {
        // RFC 6238 appendix B, SHA-1, the last six of eight digits.
        for (t, code) in [
            (59i64, "287082"),
            (1111111109, "081804"),
            (1111111111, "050471"),
            (1234567890, "005924"),
            (2000000000, "279037"),
            (20000000000, "353130"),
        ] {
            assert_eq!(code_at(RFC_SECRET, t * 1000), code, "t={t}");
        }
    }

    #[test]
    fn one_step_of_drift_is_allowed_and_a_used_step_never_again() {
        let now = 1_234_567_890_000;
        let step = step_at(now);
        let code = code_at(RFC_SECRET, now);
        assert_eq!(verify(RFC_SECRET, &code, now, 0), Some(step));
        assert_eq!(verify(RFC_SECRET, &code, now + 30_000, 0), Some(step));
        assert_eq!(verify(RFC_SECRET, &code, now - 30_000, 0), Some(step));
        assert_eq!(verify(RFC_SECRET, &code, now + 60_000, 0), None);
        assert_eq!(verify(RFC_SECRET, &code, now, step), None, "replayed");
        let next = code_at_step(RFC_SECRET, step + 1);
        assert_eq!(verify(RFC_SECRET, &next, now, step), Some(step + 1));
        assert_eq!(verify(RFC_SECRET, "12345", now, 0), None);
        assert_eq!(verify(RFC_SECRET, "abcdef", now, 0), None);
        assert_eq!(
            verify(
                RFC_SECRET,
                &format!("{} {}", &code[..3], &code[3..]),
                now,
                0
            ),
            Some(step)
        );
    }

    #[test]
    fn secrets_are_rfc_4648_base32_in_the_otpauth_address() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("mzxw 6ytb oi").unwrap(), b"foobar");
        assert_eq!(base32_decode(&base32(RFC_SECRET)).unwrap(), RFC_SECRET);
        assert_eq!(base32_decode("MZ1"), None);
        assert_eq!(grouped(b"foobar"), "MZXW 6YTB OI");
        assert_eq!(
            otpauth_uri("li.wang@example.cn", b"foobar"),
            "otpauth://totp/Zige:li.wang%40example.cn?secret=MZXW6YTBOI&issuer=Zige&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn recovery_codes_are_typed_forgivingly_and_stored_as_hashes() {
        let code = recovery_code(&[0x5a; RECOVERY_BYTES]);
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        let h = recovery_hash(&code).unwrap();
        assert_eq!(h.len(), 64);
        assert!(!h.contains(&code.replace('-', "")));
        assert_eq!(
            recovery_hash(&code.to_lowercase().replace('-', " ")),
            Some(h.clone())
        );
        assert_eq!(parse(&code), Some(Typed::Recovery(h)));
        assert_eq!(parse("123 456"), Some(Typed::Totp("123456".into())));
        assert_eq!(parse("1234567"), None);
        assert_eq!(parse("<script>"), None);
        assert_ne!(
            recovery_code(&[1; RECOVERY_BYTES]),
            recovery_code(&[2; RECOVERY_BYTES])
        );
    }
}
