//! Approved decisions as W3C Verifiable Credentials (VC Data Model 2.0),
//! secured by a Data Integrity proof of the `eddsa-jcs-2022` cryptosuite,
//! issued by a `did:web` DID, and revocable through a Bitstring Status
//! List (see [`crate::status_list`]).
//!
//! `eddsa-jcs-2022` signs RFC 8785 canonical JSON, the same canonical form
//! Zige's own signed decisions use, so a verifier needs no JSON-LD
//! canonicalisation and the proof covers exactly the bytes of the JSON.

use ed25519_dalek::{Signer as _, Verifier as _, VerifyingKey};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::decision::{canonical, key_id, DecisionDoc, Signer};

/// The VC 2.0 context.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context: the credential is also an
/// `OpenBadgeCredential`, the qualification its `Achievement`.
pub const OPEN_BADGES_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The Data Integrity proof type and cryptosuite.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";
/// The media type of a credential with an embedded proof.
pub const MEDIA_TYPE: &str = "application/vc";

/// The `did:web` DID of a service at `public_url`: its host (with the
/// port, `:` written `%3A`), then each segment of its path after a `:`.
/// Its document is at `/.well-known/did.json` without a path, and at
/// `PATH/did.json` with one. `None` when the URL has no host.
pub fn did_web(public_url: &str) -> Option<String> {
    let rest = public_url
        .strip_prefix("https://")
        .or_else(|| public_url.strip_prefix("http://"))?;
    let rest = rest.split(['?', '#']).next()?;
    let mut parts = rest.split('/');
    let host = parts.next()?;
    if host.is_empty() || host.contains('@') {
        return None;
    }
    let mut did = format!("did:web:{}", host.replace(':', "%3A"));
    for segment in parts.filter(|segment| !segment.is_empty()) {
        did.push(':');
        did.push_str(&segment.replace(':', "%3A"));
    }
    Some(did)
}

/// The id of a key's verification method in the DID document.
pub fn verification_method(did: &str, key: &VerifyingKey) -> String {
    format!("{did}#key-{}", key_id(key))
}

/// A public key as a Multikey: multibase base58btc of the multicodec
/// `ed25519-pub` prefix (0xed 0x01) and the 32 key bytes (`z6Mk…`).
pub fn multikey(key: &VerifyingKey) -> String {
    let mut bytes = vec![0xed, 0x01];
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// The key of a Multikey `publicKeyMultibase` ([`multikey`]'s form).
pub fn key_from_multikey(text: &str) -> Option<VerifyingKey> {
    let bytes = bs58::decode(text.strip_prefix('z')?).into_vec().ok()?;
    let raw: [u8; 32] = bytes.strip_prefix(&[0xed, 0x01])?.try_into().ok()?;
    VerifyingKey::from_bytes(&raw).ok()
}

/// The DID document listing every key, retired ones included, so a
/// credential signed before a rotation still verifies.
pub fn did_document(did: &str, keys: &[VerifyingKey]) -> Value {
    let methods: Vec<Value> = keys
        .iter()
        .map(|k| {
            json!({
                "id": verification_method(did, k),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multikey(k),
            })
        })
        .collect();
    let ids: Vec<Value> = keys
        .iter()
        .map(|k| Value::String(verification_method(did, k)))
        .collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    })
}

/// Where a credential's revocation bit is: the status list credential's
/// URL and the bit's index in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    pub list_url: String,
    pub index: u64,
}

/// What a credential is issued from besides the decision.
pub struct Issuance<'a> {
    pub did: &'a str,
    /// The page anyone can check the decision on; the credential's id.
    pub verification_url: &'a str,
    /// The catalogue entry's public page; the qualification's id.
    pub entry_url: &'a str,
    pub status: StatusEntry,
}

/// `{"zh": …, "en": …}` objects (Zige's bilingual texts) as JSON-LD
/// language-tagged values, everywhere in `value`; anything else as is.
pub fn language_values(value: &Value) -> Value {
    match value {
        Value::Object(map) if is_bilingual(map) => Value::Array(
            ["zh", "en"]
                .iter()
                .map(|lang| json!({"@value": map[*lang], "@language": lang}))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), language_values(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(language_values).collect()),
        other => other.clone(),
    }
}

fn is_bilingual(map: &Map<String, Value>) -> bool {
    map.len() == 2
        && ["zh", "en"]
            .iter()
            .all(|k| map.get(*k).is_some_and(Value::is_string))
}

/// The unsecured credential of an approved decision: the holder by name
/// only (no other personal data), the qualification and its catalogue
/// entry, the level, the title it corresponds to, the benefits and
/// obligations, the decision's number and date. It is also an Open
/// Badges 3.0 `OpenBadgeCredential`: the issuer a `Profile`, the holder
/// an `AchievementSubject`, the qualification an `Achievement`.
pub fn credential(doc: &DecisionDoc, issuance: &Issuance<'_>) -> Value {
    let bilingual = |b: &zige_catalog::Bilingual| language_values(&json!({"zh": b.zh, "en": b.en}));
    let mut qualification = language_values(&doc.entry);
    qualification["id"] = json!(issuance.entry_url);
    let mut subject = json!({
        "type": ["AchievementSubject", "RecognisedQualification"],
        "name": doc.holder_name,
        "achievement": achievement(doc, issuance.entry_url),
        "qualification": qualification,
        "catalogue": doc.catalog,
        "policy": doc.policy,
        "titleCorrespondence": language_values(&doc.title),
        "benefits": language_values(&doc.benefits),
        "obligations": language_values(&doc.obligations),
    });
    if let Some(level) = &doc.level {
        subject["level"] = json!(level);
    }
    let mut credential = json!({
        "@context": [VC_CONTEXT, OPEN_BADGES_CONTEXT],
        "id": issuance.verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential", "RecognitionDecisionCredential"],
        "name": language_values(&json!({
            "zh": "北京市境外职业资格认可决定",
            "en": "Recognition of an overseas professional qualification in Beijing",
        })),
        "issuer": {"id": issuance.did, "type": ["Profile"], "name": bilingual(&doc.issuer)},
        "validFrom": doc.issued_at,
        "credentialSubject": subject,
        "decision": {"number": doc.number, "verificationCode": doc.verification_code, "issued": doc.issued_at},
        "credentialStatus": {
            "id": format!("{}#{}", issuance.status.list_url, issuance.status.index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": issuance.status.index.to_string(),
            "statusListCredential": issuance.status.list_url,
        },
    });
    if let Some(basis) = &doc.legal_basis {
        credential["decision"]["legalBasis"] = bilingual(basis);
    }
    credential
}

/// The qualification as an Open Badges `Achievement`: its catalogue
/// entry's page, its name, which entry of which edition it is, and what
/// recognition required.
fn achievement(doc: &DecisionDoc, entry_url: &str) -> Value {
    let code = doc.entry["code"].as_str().unwrap_or_default();
    let catalog = &doc.catalog;
    json!({
        "id": entry_url,
        "type": ["Achievement"],
        "name": language_values(&doc.entry["name"]),
        "description": language_values(&json!({
            "zh": format!("北京市境外职业资格认可目录（{catalog}）第 {code} 项"),
            "en": format!("Entry {code} of the catalogue of overseas professional qualifications recognised in Beijing ({catalog})"),
        })),
        "criteria": {"narrative": language_values(&json!({
            "zh": "持有该境外职业资格，并经认定机关核验证书及证明材料。",
            "en": "Holding this overseas qualification, with the certificate and evidence checked by the recognising authority.",
        }))},
    })
}

/// Adds an `eddsa-jcs-2022` Data Integrity proof to `unsecured`, made
/// with `signer` at `created` (RFC 3339), naming `method` as the key.
pub fn prove(unsecured: &Value, signer: &Signer, method: &str, created: &str) -> Value {
    let mut proof = json!({
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    });
    if let Some(context) = unsecured.get("@context") {
        proof["@context"] = context.clone();
    }
    let signature = signer.sign_bytes(&hash_data(&proof, unsecured));
    proof["proofValue"] = json!(format!("z{}", bs58::encode(signature).into_string()));
    let mut secured = unsecured.clone();
    secured["proof"] = proof;
    secured
}

/// SHA-256 of the canonical proof configuration, then of the canonical
/// document, as `eddsa-jcs-2022` signs them.
fn hash_data(proof_config: &Value, unsecured: &Value) -> Vec<u8> {
    let mut out = Sha256::digest(canonical(proof_config)).to_vec();
    out.extend_from_slice(&Sha256::digest(canonical(unsecured)));
    out
}

/// Why a credential does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("this is not a credential with a Data Integrity proof: {0}")]
    Malformed(String),
    #[error("the credential was issued by {0}, not by this service")]
    OtherIssuer(String),
    #[error("the credential names key {0}, which is not one of the issuer's keys")]
    UnknownKey(String),
    #[error("the proof does not match the credential: it was changed after it was issued, or not issued by this service")]
    Tampered,
}

/// Checks that `secured` was issued by `issuer` (a DID) and that its
/// `eddsa-jcs-2022` proof, made for assertions, matches it under the key
/// its `verificationMethod` names: one of `issuer`'s keys, found through
/// `key_of`. Ok is the credential without its proof.
pub fn verify(
    secured: &Value,
    issuer: &str,
    key_of: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<Value, CredentialError> {
    let malformed = |what: &str| CredentialError::Malformed(what.to_string());
    let mut unsecured = secured.clone();
    let proof = unsecured
        .as_object_mut()
        .and_then(|m| m.remove("proof"))
        .filter(Value::is_object)
        .ok_or_else(|| malformed("no proof"))?;
    if proof["type"] != PROOF_TYPE || proof["cryptosuite"] != CRYPTOSUITE {
        return Err(malformed(
            "proof is not a DataIntegrityProof of eddsa-jcs-2022",
        ));
    }
    if proof["proofPurpose"] != "assertionMethod" {
        return Err(malformed("proof.proofPurpose is not assertionMethod"));
    }
    let named = issuer_of(&unsecured).ok_or_else(|| malformed("no issuer"))?;
    if named != issuer {
        return Err(CredentialError::OtherIssuer(named.to_string()));
    }
    let method = proof["verificationMethod"]
        .as_str()
        .ok_or_else(|| malformed("no proof.verificationMethod"))?;
    let key = method
        .strip_prefix(issuer)
        .filter(|fragment| fragment.starts_with('#'))
        .and_then(|_| key_of(method))
        .ok_or_else(|| CredentialError::UnknownKey(method.to_string()))?;
    if proof
        .get("@context")
        .is_some_and(|c| Some(c) != unsecured.get("@context"))
    {
        return Err(CredentialError::Tampered);
    }
    check_signature(&proof, &unsecured, &key)?;
    Ok(unsecured)
}

/// The issuer's id: `issuer` itself or its `id`.
fn issuer_of(credential: &Value) -> Option<&str> {
    let issuer = &credential["issuer"];
    issuer.as_str().or_else(|| issuer["id"].as_str())
}

/// Whether `proof`'s `proofValue` is `key`'s signature of the proof's
/// other fields and `unsecured`.
fn check_signature(
    proof: &Value,
    unsecured: &Value,
    key: &VerifyingKey,
) -> Result<(), CredentialError> {
    let malformed = |what: &str| CredentialError::Malformed(what.to_string());
    let mut config = proof.clone();
    let value = config
        .as_object_mut()
        .and_then(|m| m.remove("proofValue"))
        .and_then(|v| v.as_str().map(str::to_string))
        .ok_or_else(|| malformed("no proof.proofValue"))?;
    let raw = value
        .strip_prefix('z')
        .and_then(|b| bs58::decode(b).into_vec().ok())
        .ok_or_else(|| malformed("proof.proofValue is not base58btc multibase"))?;
    let signature = ed25519_dalek::Signature::from_slice(&raw)
        .map_err(|_| malformed("proof.proofValue is not a 64-byte signature"))?;
    key.verify(&hash_data(&config, unsecured), &signature)
        .map_err(|_| CredentialError::Tampered)
}

impl Signer {
    /// The raw Ed25519 signature of `message`.
    pub fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
        self.key().sign(message).to_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DecisionDoc {
        serde_json::from_value(json!({
            "format": "zige.decision/1", "number": "ZG-2026-000001", "verification_code": "ABCD",
            "issued_at": "2026-12-03T10:00:00Z", "issuer": {"zh": "局", "en": "Bureau"},
            "holder_name": "Ada Lovelace", "application": 7, "catalog": "beijing/3.0", "policy": "beijing/2023",
            "entry": {"id": "cfa", "code": "G7", "name": {"zh": "特许金融分析师", "en": "Chartered Financial Analyst"}},
            "level": null, "certificate": {"number": "secret-123"}, "title": {"zh": "高级", "en": "senior"},
            "benefits": [], "obligations": [], "reasons": null
        }))
        .unwrap()
    }

    fn issued(signer: &Signer) -> Value {
        let did = did_web("https://zige.example.gov.cn").unwrap();
        let issuance = Issuance {
            did: &did,
            verification_url: "https://zige.example.gov.cn/verify/ABCD",
            entry_url: "https://zige.example.gov.cn/entries/cfa",
            status: StatusEntry {
                list_url: "https://zige.example.gov.cn/api/v1/status-lists/1".into(),
                index: 7,
            },
        };
        let method = verification_method(&did, &signer.public());
        prove(
            &credential(&doc(), &issuance),
            signer,
            &method,
            "2026-12-03T10:00:00Z",
        )
    }

    #[test]
    fn a_credential_verifies_with_its_key_and_fails_when_a_field_changes() {
        let signer = Signer::from_secret(&[7; 32]);
        let did = did_web("https://zige.example.gov.cn").unwrap();
        let method = verification_method(&did, &signer.public());
        let key_of = |m: &str| (m == method).then(|| signer.public());
        let secured = issued(&signer);
        assert_eq!(
            verify(&secured, &did, key_of).unwrap()["credentialSubject"]["name"],
            "Ada Lovelace"
        );
        let mut changed = secured.clone();
        changed["credentialSubject"]["name"] = json!("Mallory");
        assert_eq!(
            verify(&changed, &did, key_of),
            Err(CredentialError::Tampered)
        );
        let other = Signer::from_secret(&[8; 32]);
        let wrong_key = |m: &str| (m == method).then(|| other.public());
        assert_eq!(
            verify(&secured, &did, wrong_key),
            Err(CredentialError::Tampered)
        );
        assert!(matches!(
            verify(&secured, &did, |_| None),
            Err(CredentialError::UnknownKey(_))
        ));
    }

    #[test]
    fn a_credential_of_another_issuer_or_signed_by_another_did_is_refused() {
        let signer = Signer::from_secret(&[7; 32]);
        let did = did_web("https://zige.example.gov.cn").unwrap();
        let any_key = |_: &str| Some(signer.public());
        let secured = issued(&signer);
        assert_eq!(
            verify(&secured, "did:web:other.example", any_key),
            Err(CredentialError::OtherIssuer(did.clone()))
        );
        let mut elsewhere = secured.clone();
        elsewhere["proof"]["verificationMethod"] = json!("did:web:evil.example#key-1");
        assert!(matches!(
            verify(&elsewhere, &did, any_key),
            Err(CredentialError::UnknownKey(_))
        ));
        let mut purpose = secured.clone();
        purpose["proof"]["proofPurpose"] = json!("authentication");
        assert!(matches!(
            verify(&purpose, &did, any_key),
            Err(CredentialError::Malformed(_))
        ));
    }

    #[test]
    fn the_holder_is_named_and_no_other_personal_data_is_in_it() {
        let text = issued(&Signer::from_secret(&[7; 32])).to_string();
        assert!(text.contains("Ada Lovelace"));
        assert!(!text.contains("secret-123"), "{text}");
    }

    #[test]
    fn bilingual_texts_become_language_tagged_values() {
        let v = language_values(&json!({"name": {"zh": "甲", "en": "A"}, "id": "G7"}));
        assert_eq!(v["name"][0], json!({"@value": "甲", "@language": "zh"}));
        assert_eq!(v["name"][1], json!({"@value": "A", "@language": "en"}));
        assert_eq!(v["id"], "G7");
    }

    #[test]
    fn did_web_encodes_the_port_and_the_path() {
        assert_eq!(
            did_web("https://zige.gov.cn/talent/zige/").unwrap(),
            "did:web:zige.gov.cn:talent:zige"
        );
        assert_eq!(
            did_web("https://zige.gov.cn").unwrap(),
            "did:web:zige.gov.cn"
        );
        assert_eq!(
            did_web("http://127.0.0.1:8080").unwrap(),
            "did:web:127.0.0.1%3A8080"
        );
        assert_eq!(did_web("ftp://x"), None);
    }

    #[test]
    fn a_multikey_is_base58btc_with_the_ed25519_prefix() {
        let key = Signer::from_secret(&[7; 32]).public();
        assert!(multikey(&key).starts_with("z6Mk"));
        assert_eq!(key_from_multikey(&multikey(&key)), Some(key));
        assert_eq!(key_from_multikey("z6Mk"), None);
    }
}
