//! Decisions anyone can verify: the document, its canonical form
//! (RFC 8785, JSON Canonicalization Scheme) and its Ed25519 signature.

use base64::Engine;
use ed25519_dalek::{Signer as _, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zige_catalog::Bilingual;

/// The document of an approved (recognised) decision. Everything a
/// reader needs: what was recognised, under which catalogue and policy,
/// what it brings. Personal data is limited to the holder's name and the
/// certificate's particulars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionDoc {
    /// `zige.decision/1`.
    pub format: String,
    /// `BJ-2026-000001`.
    pub number: String,
    pub verification_code: String,
    /// RFC 3339, UTC.
    pub issued_at: String,
    pub issuer: Bilingual,
    pub holder_name: String,
    pub application: i64,
    /// `beijing/3.0`.
    pub catalog: String,
    /// `beijing/2023`.
    pub policy: String,
    pub entry: Value,
    pub level: Option<String>,
    pub certificate: Value,
    pub title: Value,
    pub benefits: Value,
    pub obligations: Value,
    /// The reviewer's reasons, in the language they were written in.
    pub reasons: Option<String>,
}

/// The signature block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// `Ed25519`.
    pub algorithm: String,
    /// First 16 hex digits of SHA-256 of the public key.
    pub key_id: String,
    /// Base64 (standard, padded) of the 64-byte signature over the
    /// canonical JSON of `decision`.
    pub value: String,
}

/// What is downloaded: the decision as signed, and the signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedDecision {
    pub decision: Value,
    pub signature: Signature,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the file is not a signed Zige decision: {0}")]
    Malformed(String),
    #[error("the decision was signed with key {0}, which is not among the published keys")]
    UnknownKey(String),
    #[error("the signature does not match the decision: it was altered or not signed by Zige")]
    BadSignature,
}

/// RFC 8785 canonical bytes of a JSON value.
pub fn canonical(value: &Value) -> Vec<u8> {
    // serde_jcs sorts keys by UTF-16 code units and prints numbers the
    // ECMAScript way; on a serde_json::Value it cannot fail.
    serde_jcs::to_vec(value).unwrap_or_default()
}

pub fn key_id(public: &VerifyingKey) -> String {
    crate::sha256_hex(public.as_bytes())[..16].to_string()
}

/// A signing key with its id.
pub struct Signer {
    key: SigningKey,
    id: String,
}

impl Signer {
    /// From the 32 secret bytes (made by the caller from a CSPRNG).
    pub fn from_secret(secret: &[u8; 32]) -> Signer {
        let key = SigningKey::from_bytes(secret);
        let id = key_id(&key.verifying_key());
        Signer { key, id }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn public(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub fn sign(&self, doc: &DecisionDoc) -> SignedDecision {
        let decision = serde_json::to_value(doc).unwrap_or(Value::Null);
        let sig = self.key.sign(&canonical(&decision));
        SignedDecision {
            decision,
            signature: Signature {
                algorithm: "Ed25519".into(),
                key_id: self.id.clone(),
                value: base64::engine::general_purpose::STANDARD.encode(sig.to_bytes()),
            },
        }
    }
}

impl SignedDecision {
    /// Parses a downloaded file.
    pub fn from_json(text: &str) -> Result<SignedDecision, VerifyError> {
        serde_json::from_str(text).map_err(|e| VerifyError::Malformed(e.to_string()))
    }

    /// Checks the signature against the published keys (id, 32 bytes).
    /// Ok gives the document.
    pub fn verify(&self, keys: &[VerifyingKey]) -> Result<DecisionDoc, VerifyError> {
        if self.signature.algorithm != "Ed25519" {
            return Err(VerifyError::Malformed(format!(
                "algorithm '{}': allowed Ed25519",
                self.signature.algorithm
            )));
        }
        let key = keys
            .iter()
            .find(|k| key_id(k) == self.signature.key_id)
            .ok_or_else(|| VerifyError::UnknownKey(self.signature.key_id.clone()))?;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&self.signature.value)
            .map_err(|e| VerifyError::Malformed(format!("signature value: {e}")))?;
        let sig = ed25519_dalek::Signature::from_slice(&raw)
            .map_err(|_| VerifyError::Malformed("signature value: not 64 bytes".into()))?;
        key.verify(&canonical(&self.decision), &sig)
            .map_err(|_| VerifyError::BadSignature)?;
        serde_json::from_value(self.decision.clone())
            .map_err(|e| VerifyError::Malformed(e.to_string()))
    }
}

/// A published key as served at `/api/v1/keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey {
    pub key_id: String,
    pub algorithm: String,
    /// Base64 of the 32 public bytes.
    pub public_key: String,
}

impl PublicKey {
    pub fn of(key: &VerifyingKey) -> PublicKey {
        PublicKey {
            key_id: key_id(key),
            algorithm: "Ed25519".into(),
            public_key: base64::engine::general_purpose::STANDARD.encode(key.as_bytes()),
        }
    }

    pub fn parse(&self) -> Result<VerifyingKey, VerifyError> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&self.public_key)
            .map_err(|e| VerifyError::Malformed(format!("public_key: {e}")))?;
        let bytes: [u8; 32] = raw
            .try_into()
            .map_err(|_| VerifyError::Malformed("public_key: not 32 bytes".into()))?;
        VerifyingKey::from_bytes(&bytes)
            .map_err(|e| VerifyError::Malformed(format!("public_key: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> DecisionDoc {
        DecisionDoc {
            format: "zige.decision/1".into(),
            number: "BJ-2026-000001".into(),
            verification_code: crate::verification_code(&[7; 16]),
            issued_at: "2026-11-27T02:00:00Z".into(),
            issuer: Bilingual::new(
                "北京市人力资源和社会保障局",
                "Beijing Municipal Human Resources and Social Security Bureau",
            ),
            holder_name: "Ada Lovelace".into(),
            application: 1,
            catalog: "beijing/3.0".into(),
            policy: "beijing/2023".into(),
            entry: json!({"id": "cfa", "code": "G7", "name": {"zh": "特许金融分析师", "en": "CFA"}}),
            level: None,
            certificate: json!({"number": "1"}),
            title: json!(null),
            benefits: json!([]),
            obligations: json!([]),
            reasons: Some("证据齐全".into()),
        }
    }

    #[test]
    fn canonical_json_follows_rfc_8785() {
        // Keys sorted, no whitespace, non-ASCII kept as UTF-8, integers plain.
        let v = json!({"b": 1, "a": {"z": [true, null, "é"], "y": 1e21}, "\u{20ac}": 2, "\r": 3});
        assert_eq!(
            String::from_utf8(canonical(&v)).unwrap(),
            "{\"\\r\":3,\"a\":{\"y\":1e+21,\"z\":[true,null,\"é\"]},\"b\":1,\"€\":2}"
        );
    }

    #[test]
    fn a_signed_decision_verifies_and_any_change_breaks_it() {
        let signer = Signer::from_secret(&[42; 32]);
        let signed = signer.sign(&doc());
        let text = serde_json::to_string_pretty(&signed).unwrap();
        // Whitespace and key order of the file do not matter: the signature is over the canonical form.
        let back = SignedDecision::from_json(&text).unwrap();
        assert_eq!(back.verify(&[signer.public()]).unwrap(), doc());

        let mut forged = back.clone();
        forged.decision["holder_name"] = json!("Mallory");
        assert_eq!(
            forged.verify(&[signer.public()]),
            Err(VerifyError::BadSignature)
        );

        let other = Signer::from_secret(&[1; 32]);
        assert_eq!(
            back.verify(&[other.public()]),
            Err(VerifyError::UnknownKey(signer.id().to_string()))
        );
        assert!(matches!(
            SignedDecision::from_json("{}"),
            Err(VerifyError::Malformed(_))
        ));

        let published = PublicKey::of(&signer.public());
        assert_eq!(published.parse().unwrap(), signer.public());
    }
}
