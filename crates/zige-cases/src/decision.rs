//! Decisions anyone can verify: the document (its number, issuer and
//! contents, assembled from an approval), its canonical form (RFC 8785,
//! JSON Canonicalization Scheme) and its Ed25519 signature.

use base64::Engine;
use ed25519_dalek::{Signer as _, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zige_catalog::{Bilingual, Entry};

use crate::application::{Action, ApplicationForm};
use crate::time::Timestamp;

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
    /// The authority that issues it.
    pub issuer: Bilingual,
    /// The notice the decision rests on (absent in decisions issued before
    /// it was recorded; the signature covers it when present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<Bilingual>,
    /// How the holder may challenge the decision (absent in older ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal: Option<Bilingual>,
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

/// The format every decision document is issued in.
pub const FORMAT: &str = "zige.decision/1";

/// Who issues decisions, on what legal basis, and how to appeal them,
/// each in Chinese and English (from the service's configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub name: Bilingual,
    pub legal_basis: Bilingual,
    pub appeal: Bilingual,
}

/// The bureau that administers Beijing's catalogue.
pub const DEFAULT_AUTHORITY: (&str, &str) = (
    "北京市人力资源和社会保障局",
    "Beijing Municipal Human Resources and Social Security Bureau",
);

/// The notice that publishes catalogue 3.0 (4 September 2023).
pub const DEFAULT_LEGAL_BASIS: (&str, &str) = (
    "关于发布《北京市境外职业资格认可目录（3.0版）》的通知（2023年9月4日）",
    "Notice publishing Beijing's Catalogue of Recognised Overseas Professional Qualifications, version 3.0 (4 September 2023)",
);

/// Administrative reconsideration within 60 days or an administrative
/// lawsuit within 6 months, as Chinese administrative law provides.
pub const DEFAULT_APPEAL: (&str, &str) = (
    "对本决定不服的，可以自知道本决定之日起六十日内依法申请行政复议，或者自知道本决定之日起六个月内依法向人民法院提起行政诉讼。",
    "If you disagree with this decision, you may apply for administrative reconsideration within 60 days of learning of it, or bring an administrative lawsuit before a people's court within 6 months of learning of it.",
);

impl Default for Authority {
    fn default() -> Authority {
        let both = |(zh, en): (&str, &str)| Bilingual::new(zh, en);
        Authority {
            name: both(DEFAULT_AUTHORITY),
            legal_basis: both(DEFAULT_LEGAL_BASIS),
            appeal: both(DEFAULT_APPEAL),
        }
    }
}

/// A decision's number, `ZG-YYYY-NNNNNN`: the year it is issued in and its
/// sequence number, at least six digits.
pub fn decision_number(issued_at: Timestamp, sequence: i64) -> String {
    format!("ZG-{}-{sequence:06}", &issued_at.rfc3339()[..4])
}

/// An entry as a decision (and an application) names it: id, code, list
/// and name.
pub fn entry_summary(entry: &Entry) -> Value {
    serde_json::json!({"id": entry.id, "code": entry.code, "list": entry.list, "name": entry.name})
}

/// What a reviewer decides about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Approved,
    Rejected,
    MoreInformation,
}

impl Outcome {
    /// The outcomes as the API spells them, for error messages.
    pub const ALLOWED: &'static str = "approved, rejected, more_information";

    /// Reads an outcome as the API spells it, surrounding spaces ignored.
    pub fn parse(text: &str) -> Option<Outcome> {
        match text.trim() {
            "approved" => Some(Outcome::Approved),
            "rejected" => Some(Outcome::Rejected),
            "more_information" => Some(Outcome::MoreInformation),
            _ => None,
        }
    }

    /// The outcome as the API spells it.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::Rejected => "rejected",
            Outcome::MoreInformation => "more_information",
        }
    }

    /// The step of the application's life this outcome is.
    pub fn action(self) -> Action {
        match self {
            Outcome::Approved => Action::Approve,
            Outcome::Rejected => Action::Reject,
            Outcome::MoreInformation => Action::RequestInformation,
        }
    }
}

/// Everything an approval's document is made of except its sequence
/// number, which the store draws when it records the decision.
pub struct Approval<'a> {
    pub application: i64,
    /// The edition the application was decided under (`beijing/3.0`).
    pub catalog: &'a str,
    pub form: &'a ApplicationForm,
    /// The recognised entry as [`entry_summary`] gives it; null when the
    /// edition does not hold it.
    pub entry: Value,
    /// The rules engine's decision on the complete profile.
    pub rules: &'a zige_rules::Decision,
    pub verification_code: &'a str,
    pub issued_at: Timestamp,
    /// The reviewer's reasons, already trimmed; empty when none were given.
    pub reasons: &'a str,
    /// Who issues it, on what basis, and how to appeal.
    pub authority: &'a Authority,
}

impl Approval<'_> {
    /// The holder's name as the certificate gives it, trimmed.
    pub fn holder_name(&self) -> String {
        self.form
            .holder_name
            .clone()
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    /// The document of this approval under sequence number `sequence`.
    pub fn document(&self, sequence: i64) -> DecisionDoc {
        let rules = self.rules;
        DecisionDoc {
            format: FORMAT.into(),
            number: decision_number(self.issued_at, sequence),
            verification_code: self.verification_code.to_string(),
            issued_at: self.issued_at.rfc3339(),
            issuer: self.authority.name.clone(),
            legal_basis: Some(self.authority.legal_basis.clone()),
            appeal: Some(self.authority.appeal.clone()),
            holder_name: self.holder_name(),
            application: self.application,
            catalog: self.catalog.to_string(),
            policy: rules.policy.to_string(),
            entry: self.entry.clone(),
            level: rules.level_used.clone(),
            certificate: serde_json::to_value(&self.form.certificate).unwrap_or(Value::Null),
            title: serde_json::to_value(&rules.title).unwrap_or(Value::Null),
            benefits: serde_json::to_value(&rules.benefits).unwrap_or(Value::Null),
            obligations: serde_json::to_value(&rules.obligations).unwrap_or(Value::Null),
            reasons: (!self.reasons.is_empty()).then(|| self.reasons.to_string()),
        }
    }
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

    pub(crate) fn key(&self) -> &SigningKey {
        &self.key
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
            legal_basis: None,
            appeal: None,
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
    fn numbers_name_the_year_of_issue_and_the_sequence() {
        // 2026-11-27T02:00:00Z
        let issued = Timestamp(1_795_744_800_000);
        assert_eq!(decision_number(issued, 1), "ZG-2026-000001");
        assert_eq!(decision_number(issued, 1_234_567), "ZG-2026-1234567");
    }

    #[test]
    fn outcomes_are_read_as_the_api_spells_them() {
        assert_eq!(Outcome::parse(" approved "), Some(Outcome::Approved));
        assert_eq!(Outcome::parse("rejected"), Some(Outcome::Rejected));
        assert_eq!(
            Outcome::parse("more_information").map(Outcome::action),
            Some(Action::RequestInformation)
        );
        assert_eq!(Outcome::parse("Approved"), None);
        assert_eq!(Outcome::parse(""), None);
    }

    #[test]
    fn an_approval_becomes_the_document_that_is_signed() {
        let catalog = &zige_catalog::builtin()[0];
        let entry = catalog.find("G7").expect("G7 is in the built-in edition");
        let profile = zige_rules::Profile::from_json(&format!(
            r#"{{"entry": "{}", "nationality": "foreign"}}"#,
            entry.id
        ))
        .unwrap();
        let rules = zige_rules::decide(catalog, zige_rules::Policy::builtin(), &profile).unwrap();
        let form: ApplicationForm = serde_json::from_value(json!({
            "holder_name": "  Ada Lovelace ",
            "profile": {"entry": entry.id},
            "certificate": {"number": "CFA-1", "issuer": "CFA Institute"}
        }))
        .unwrap();
        let code = crate::verification_code(&[7; 16]);
        let approval = Approval {
            application: 12,
            catalog: "beijing/3.0",
            form: &form,
            entry: entry_summary(entry),
            rules: &rules,
            verification_code: &code,
            issued_at: Timestamp(1_795_744_800_000),
            reasons: "",
            authority: &Authority::default(),
        };
        let doc = approval.document(3);
        assert_eq!(doc.format, "zige.decision/1");
        assert_eq!(doc.number, "ZG-2026-000003");
        assert_eq!(doc.issued_at, "2026-11-27T02:00:00Z");
        assert_eq!(doc.verification_code, code);
        assert_eq!(
            doc.issuer.en,
            "Beijing Municipal Human Resources and Social Security Bureau"
        );
        assert_eq!(doc.issuer.zh, "北京市人力资源和社会保障局");
        let basis = doc.legal_basis.clone().unwrap();
        assert!(basis.zh.contains("北京市境外职业资格认可目录（3.0版）"));
        assert!(doc.appeal.clone().unwrap().en.contains("60 days"));
        assert_eq!(doc.holder_name, "Ada Lovelace");
        assert_eq!(doc.application, 12);
        assert_eq!(doc.catalog, "beijing/3.0");
        assert_eq!(doc.policy, rules.policy.to_string());
        assert_eq!(doc.entry["code"], "G7");
        assert_eq!(doc.entry["list"], entry.list.as_str());
        assert_eq!(doc.level, rules.level_used);
        assert_eq!(doc.certificate["number"], "CFA-1");
        assert_eq!(doc.title, serde_json::to_value(&rules.title).unwrap());
        assert_eq!(doc.benefits, serde_json::to_value(&rules.benefits).unwrap());
        assert_eq!(
            doc.obligations,
            serde_json::to_value(&rules.obligations).unwrap()
        );
        assert_eq!(doc.reasons, None);
        let with_reasons = Approval {
            reasons: "证据齐全",
            ..approval
        };
        assert_eq!(
            with_reasons.document(3).reasons.as_deref(),
            Some("证据齐全")
        );
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

        // A document with the authority's legal basis and route of appeal
        // is signed over them; one without (issued before) still verifies.
        let mut full = doc();
        full.legal_basis = Some(Authority::default().legal_basis);
        full.appeal = Some(Authority::default().appeal);
        let signed_full = signer.sign(&full);
        assert!(signed_full.decision.get("appeal").is_some());
        assert_eq!(signed_full.verify(&[signer.public()]).unwrap(), full);
        assert!(signed.decision.get("appeal").is_none());
        let mut altered = signed_full.clone();
        altered.decision["appeal"]["en"] = json!("No appeal.");
        assert_eq!(
            altered.verify(&[signer.public()]),
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
