//! Approved decisions as W3C Verifiable Credentials: the credential of a
//! decision, the status list that revokes it, and the issuer's `did:web`
//! DID document listing every signing key, retired ones included.

pub mod api;

use axum::http::StatusCode;
use serde_json::Value;
use zige_cases::credential::{self, CredentialError, Issuance, StatusEntry};
use zige_cases::status_list::{self, LIST_BITS};

use crate::cases::decisions::{self, public_url, Verification};
use crate::cases::{iso, now_ms, signing, Res};
use crate::error::{ApiError, ApiErrors};
use crate::state::Shared;

/// The most status lists there can be (each holds 131,072 credentials).
pub const MAX_LISTS: i64 = 65_536;

/// The issuer's DID, from the service's public address.
pub fn did(state: &Shared) -> Res<String> {
    credential::did_web(public_url(state)).ok_or_else(|| {
        ApiErrors::from(ApiError::internal(
            "the public address has no host to name the issuer's did:web by",
        ))
    })
}

/// The DID document: every key decisions were ever signed with.
pub async fn did_document(state: &Shared) -> Res<Value> {
    let keys = signing::keys(state).await?;
    Ok(credential::did_document(&did(state)?, &keys.published))
}

/// The address of status list `n`.
fn list_url(state: &Shared, n: u64) -> String {
    format!("{}/api/v1/status-lists/{n}", public_url(state))
}

/// The credential of the approved decision with verification code
/// `typed`, with its proof; 404 for a code no decision has.
pub async fn decision_credential(state: &Shared, typed: &str) -> Res<Value> {
    let (record, signed) = decisions::by_code(state, typed).await?;
    let doc: zige_cases::DecisionDoc =
        serde_json::from_value(signed.decision).map_err(|e| ApiError::internal(e.to_string()))?;
    let did = did(state)?;
    let (list, index) = status_list::position(record.application_id as u64);
    let base = public_url(state);
    let entry = doc.entry["id"].as_str().unwrap_or_default();
    let issuance = Issuance {
        did: &did,
        verification_url: &format!("{base}/verify/{}", record.code),
        entry_url: &format!("{base}/entries/{}", crate::render::enc(entry)),
        status: StatusEntry {
            list_url: list_url(state, list),
            index,
        },
    };
    signed_by_current_key(
        state,
        &did,
        &credential::credential(&doc, &issuance),
        &doc.issued_at,
    )
    .await
}

/// Status list `n`, signed, with the bits of revoked decisions set.
pub async fn status_list(state: &Shared, n: i64) -> Res<Value> {
    if !(1..=MAX_LISTS).contains(&n) {
        return Err(ApiError::not_found("status list", &n.to_string(), Vec::new()).into());
    }
    let first = (n - 1) * LIST_BITS as i64;
    let revoked = state
        .store()?
        .revoked_between(first, first + LIST_BITS as i64)
        .await
        .map_err(ApiError::from)?;
    let encoded = status_list::encode(revoked.iter().map(|id| (id - first) as u64));
    let now = iso(now_ms());
    let did = did(state)?;
    let unsecured = status_list::list_credential(&list_url(state, n as u64), &did, &now, &encoded);
    signed_by_current_key(state, &did, &unsecured, &now).await
}

/// What a credential someone pasted turned out to be.
pub enum Checked {
    /// Issued by this service for the decision it names, which the
    /// register still holds (revoked or not).
    Decision(Box<Verification>),
    /// Its proof does not hold, or it is not this service's.
    Refused(CredentialError),
    /// Signed by this service, but not the credential of a decision
    /// (a status list, say).
    NotADecision,
    /// Signed by this service, but the register has no decision with
    /// its verification code.
    NotInRegister(String),
}

/// Checks a pasted credential against this service's DID and keys (every
/// key ever published) and, when its proof holds, against the register,
/// which says whether its decision has been revoked.
pub async fn check(state: &Shared, pasted: &Value) -> Res<Checked> {
    let did = did(state)?;
    let keys = signing::keys(state).await?;
    let key_of = |method: &str| {
        keys.published
            .iter()
            .find(|key| credential::verification_method(&did, key) == method)
            .copied()
    };
    let unsecured = match credential::verify(pasted, &did, key_of) {
        Ok(unsecured) => unsecured,
        Err(refused) => return Ok(Checked::Refused(refused)),
    };
    let Some(code) = unsecured["decision"]["verificationCode"].as_str() else {
        return Ok(Checked::NotADecision);
    };
    match decisions::verify(state, code).await {
        Ok(found) => Ok(Checked::Decision(Box::new(found))),
        Err(errors) if crate::render::status_of(&errors) == StatusCode::NOT_FOUND => {
            Ok(Checked::NotInRegister(code.to_string()))
        }
        Err(errors) => Err(errors),
    }
}

/// `unsecured` with a proof by the key that signs decisions now, named
/// as a verification method of `did`.
async fn signed_by_current_key(
    state: &Shared,
    did: &str,
    unsecured: &Value,
    created: &str,
) -> Res<Value> {
    let keys = signing::keys(state).await?;
    let method = credential::verification_method(did, &keys.signer.public());
    Ok(credential::prove(unsecured, &keys.signer, &method, created))
}

/// The JSON-LD contexts credentials and the DID document use, shipped
/// with Zige (W3C Software and Document License; the Open Badges one as
/// the Digital Credentials Consortium packages it, MIT) and served at
/// `/contexts/{file}`, so nobody needs the network to read them: the
/// address each is known by, its file, and its text.
pub const CONTEXTS: &[(&str, &str, &str)] = &[
    (
        credential::VC_CONTEXT,
        "credentials-v2.jsonld",
        include_str!("../../../contexts/credentials-v2.jsonld"),
    ),
    (
        "https://www.w3.org/ns/did/v1",
        "did-v1.jsonld",
        include_str!("../../../contexts/did-v1.jsonld"),
    ),
    (
        "https://w3id.org/security/multikey/v1",
        "multikey-v1.jsonld",
        include_str!("../../../contexts/multikey-v1.jsonld"),
    ),
    (
        credential::OPEN_BADGES_CONTEXT,
        "ob-v3p0-context-3.0.3.jsonld",
        include_str!("../../../contexts/ob-v3p0-context-3.0.3.jsonld"),
    ),
];
