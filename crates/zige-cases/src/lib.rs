//! Recognition cases, as pure logic: who may do what to an application,
//! how its states follow each other, what an evidence file is, how a
//! decision document is assembled, signed and verified, and how the
//! audit log is chained.
//!
//! Invariant: no IO. Randomness, time and storage come from the caller
//! (the web and CLI adapters), so every function here is deterministic.

pub mod account;
pub mod application;
pub mod audit;
pub mod credential;
pub mod decision;
pub mod evidence;
pub mod reason_template;
pub mod second_factor;
pub mod statistics;
pub mod status_list;
pub mod text;
pub mod time;

pub use account::{Email, Password, Role};
pub use application::{Action, ApplicationForm, Certificate, State, TransitionError};
pub use audit::{AuditRecord, ChainError, GENESIS};
pub use decision::{
    canonical, Approval, DecisionDoc, Outcome, PublicKey, Signature, SignedDecision, Signer,
    VerifyError,
};
pub use evidence::{MediaType, MAX_EVIDENCE_BYTES};
pub use time::{Date, Timestamp};
pub use zige_rules::InputError;

/// Lower-case hex of SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Crockford base32 (no I, L, O, U): unambiguous when read aloud or typed.
pub fn base32(bytes: &[u8]) -> String {
    base32_with(b"0123456789ABCDEFGHJKMNPQRSTVWXYZ", bytes)
}

/// `bytes` in base32 over `alphabet`, five bits a character, without
/// padding.
pub(crate) fn base32_with(alphabet: &[u8; 32], bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(alphabet[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(alphabet[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// A verification code from 16 random bytes: 26 characters of base32.
pub fn verification_code(random: &[u8; 16]) -> String {
    base32(random)
}

/// Normalises a typed code: upper case, dashes and spaces dropped, the
/// letters people confuse with digits read as those digits. None when what
/// remains cannot be a code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(26);
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
    (out.len() == 26).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_26_unambiguous_characters_and_typing_slips_are_forgiven() {
        let code = verification_code(&[0xAB; 16]);
        assert_eq!(code.len(), 26);
        assert!(code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() && !"ILOU".contains(c)));
        let typed = format!("{}-{}", &code[..13].to_lowercase(), &code[13..]);
        assert_eq!(normalise_code(&typed).as_deref(), Some(code.as_str()));
        assert_eq!(normalise_code("short"), None);
        assert_eq!(normalise_code(&format!("{}U", &code[..25])), None);
        assert_eq!(normalise_code("<script>alert(1)</script>"), None);
    }
}
