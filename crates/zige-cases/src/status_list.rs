//! The Bitstring Status List (W3C) through which credentials are revoked:
//! one bit per credential, set when its decision is revoked. A verifier
//! fetches the whole list, so the issuer never learns which credential
//! is being checked; the list is at least 131,072 bits long, so one list
//! hides each credential among many.

use std::io::{Read, Write};

use base64::Engine;
use serde_json::{json, Value};

use crate::credential::VC_CONTEXT;

/// Bits in one list: the specification's minimum, for herd privacy.
pub const LIST_BITS: u64 = 131_072;

/// The list and the bit within it of credential number `n` (from 0).
pub fn position(n: u64) -> (u64, u64) {
    (n / LIST_BITS + 1, n % LIST_BITS)
}

/// The `encodedList` of a list with `revoked` bits set: multibase
/// base64url (no padding) of the GZIP-compressed bitstring, index 0 the
/// first byte's most significant bit.
pub fn encode(revoked: impl IntoIterator<Item = u64>) -> String {
    let mut bits = vec![0u8; (LIST_BITS / 8) as usize];
    for i in revoked.into_iter().filter(|i| *i < LIST_BITS) {
        bits[(i / 8) as usize] |= 0x80 >> (i % 8);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a vector cannot fail.
    let _ = gz.write_all(&bits);
    let zipped = gz.finish().unwrap_or_default();
    format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(zipped)
    )
}

/// Whether bit `index` is set in `encoded_list`; `None` when the list
/// does not decode or is shorter.
pub fn is_set(encoded_list: &str, index: u64) -> Option<bool> {
    let zipped = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded_list.strip_prefix('u')?)
        .ok()?;
    let mut bits = Vec::new();
    flate2::read::GzDecoder::new(&zipped[..])
        .take(LIST_BITS)
        .read_to_end(&mut bits)
        .ok()?;
    let byte = bits.get((index / 8) as usize)?;
    Some(byte & (0x80 >> (index % 8)) != 0)
}

/// The unsecured status list credential at `url`, issued by `did`, valid
/// from `valid_from` (RFC 3339).
pub fn list_credential(url: &str, did: &str, valid_from: &str, encoded_list: &str) -> Value {
    json!({
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_bits_read_back_and_others_stay_clear() {
        let list = encode([0, 7, 8, 131_071]);
        for i in [0, 7, 8, 131_071] {
            assert_eq!(is_set(&list, i), Some(true), "{i}");
        }
        for i in [1, 6, 9, 1000, 131_070] {
            assert_eq!(is_set(&list, i), Some(false), "{i}");
        }
        assert_eq!(is_set(&list, LIST_BITS), None);
        assert_eq!(is_set("not a list", 0), None);
    }

    #[test]
    fn credentials_fill_one_list_then_the_next() {
        assert_eq!(position(0), (1, 0));
        assert_eq!(position(LIST_BITS - 1), (1, LIST_BITS - 1));
        assert_eq!(position(LIST_BITS), (2, 0));
    }

    #[test]
    fn an_empty_list_is_small_once_compressed() {
        assert!(encode([]).len() < 400);
    }
}
