//! Schemas of the OpenAPI document for values the handlers build as JSON
//! (or take from crates without an `openapi` feature): each mirrors the
//! shape the server really sends or accepts, field for field, so that the
//! document can be checked against the server by a property-based tester
//! (`api-fuzz/run.sh`). The security schemes live here too.

#![allow(dead_code)]

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::ToSchema;
use zige_catalog::{Bilingual, ListInfo, Names};

/// Text without control characters (U+0000–U+001F, U+007F–U+009F): the
/// server refuses them in every text field of a form.
pub const NO_CONTROL: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$";

/// An entry named by an application or a decision.
#[derive(ToSchema)]
pub struct EntryBrief {
    /// Stable id.
    pub id: String,
    /// `U1`, `G31`.
    pub code: String,
    /// `urgent` or `general`.
    pub list: String,
    pub name: Names,
}

/// The edition an answer comes from.
#[derive(ToSchema)]
pub struct CatalogMeta {
    /// `beijing/3.0`.
    pub id: String,
    pub jurisdiction: String,
    pub version: String,
    pub published: String,
    pub title: Bilingual,
    pub lists: Vec<ListInfo>,
}

/// The certificate the applicant holds; every field may be left out in a draft.
#[derive(serde::Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Certificate)]
pub struct CertificateSchema {
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub number: Option<String>,
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub issuer: Option<String>,
    /// `YYYY-MM-DD` (checked on submission).
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub issued_on: Option<String>,
    /// `YYYY-MM-DD`; absent when the certificate does not expire (checked on submission).
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub expires_on: Option<String>,
}

/// The eligibility profile of a draft: as `Profile`, but `entry` may be
/// missing until submission.
#[derive(serde::Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DraftProfile)]
pub struct DraftProfile {
    /// `U1`, `G31` or an entry's stable id (checked on submission).
    #[schema(
        max_length = 64,
        pattern = "^(?=[\\s\\S]*\\S)[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub entry: Option<String>,
    /// The level or variant held, as a code or free text.
    #[schema(schema_with = zige_rules::profile::level_schema)]
    pub level: Option<String>,
    #[schema(minimum = 0, maximum = 60)]
    pub experience_years: Option<u8>,
    #[schema(minimum = 16, maximum = 100)]
    pub age: Option<u8>,
    pub nationality: Option<zige_rules::Nationality>,
    pub education: Option<zige_rules::Education>,
    pub beijing_employer: Option<bool>,
    pub high_end_industry: Option<bool>,
    pub project: Option<zige_rules::Project>,
}

/// What the applicant fills in. A draft may be incomplete; the view's
/// `missing` says what a submission still lacks.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ApplicationForm)]
pub struct ApplicationFormSchema {
    /// The holder's name as on the certificate.
    #[schema(
        max_length = 200,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub holder_name: Option<String>,
    #[serde(default)]
    pub profile: DraftProfile,
    #[serde(default)]
    pub certificate: CertificateSchema,
}

/// An account's role.
#[derive(ToSchema)]
#[schema(as = Role)]
#[allow(non_camel_case_types)]
pub enum RoleSchema {
    applicant,
    reviewer,
    admin,
}

/// The multipart body of an evidence upload.
#[derive(ToSchema)]
pub struct EvidenceUpload {
    /// PDF, JPEG or PNG (judged by content), at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Why a decision is revoked.
#[derive(ToSchema)]
pub struct RevokeBody {
    /// 1–2000 characters, not only spaces.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = "^(?=[\\s\\S]*\\S)[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub reason: String,
}

/// The signature block of a decision.
#[derive(ToSchema)]
pub struct DecisionSignature {
    /// `Ed25519`.
    pub algorithm: String,
    /// First 16 hex digits of SHA-256 of the public key.
    pub key_id: String,
    /// Base64 of the signature over the RFC 8785 form of `decision`.
    pub value: String,
}

/// A decision as signed and downloaded.
#[derive(ToSchema)]
pub struct SignedDecision {
    /// The signed decision document (`format`, `number`, `verification_code`,
    /// `issued_at`, `issuer`, `legal_basis`, `appeal`, `holder_name`,
    /// `application`, `catalog`, `policy`, `entry`, `level`, `certificate`,
    /// `title`, `benefits`, `obligations`, `reasons`).
    #[schema(value_type = Object)]
    pub decision: serde_json::Map<String, serde_json::Value>,
    pub signature: DecisionSignature,
}

/// A W3C Verifiable Credential (VC Data Model 2.0) with its Data
/// Integrity proof (`eddsa-jcs-2022`, over RFC 8785 canonical JSON).
#[derive(ToSchema, serde::Serialize)]
pub struct VerifiableCredential {
    /// `https://www.w3.org/ns/credentials/v2`.
    #[serde(rename = "@context")]
    pub context: Vec<String>,
    /// The credential's address: the decision's verification page, or the
    /// status list's own address.
    pub id: String,
    /// `VerifiableCredential` and the credential's own type
    /// (`RecognitionDecisionCredential`, `BitstringStatusListCredential`).
    #[serde(rename = "type")]
    pub types: Vec<String>,
    /// The issuer's did:web DID, alone or as `id` beside its name.
    pub issuer: serde_json::Value,
    /// RFC 3339.
    #[serde(rename = "validFrom")]
    pub valid_from: String,
    /// What the credential says: the holder's name and the recognised
    /// qualification with what it brings; or the status list's bits.
    #[serde(rename = "credentialSubject")]
    pub credential_subject: std::collections::BTreeMap<String, serde_json::Value>,
    /// Where the credential's revocation bit is (absent on a status list).
    #[serde(rename = "credentialStatus")]
    pub credential_status: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    /// `DataIntegrityProof`, `eddsa-jcs-2022`, the key as a DID URL and
    /// the signature as base58btc multibase.
    pub proof: std::collections::BTreeMap<String, serde_json::Value>,
}

/// A key decisions are signed with.
#[derive(ToSchema)]
pub struct PublicKeyView {
    pub key_id: String,
    /// `Ed25519`.
    pub algorithm: String,
    /// Base64 of the 32 public bytes.
    pub public_key: String,
}

/// The published keys and how to check a decision with them.
#[derive(ToSchema)]
pub struct KeysView {
    pub keys: Vec<PublicKeyView>,
    pub canonicalization: String,
    pub signature: String,
}

/// One record of the hash-chained audit log.
#[derive(ToSchema)]
pub struct AuditRecordView {
    pub seq: i64,
    /// Milliseconds since the epoch.
    pub at: i64,
    /// The account that acted; null for the system and the CLI.
    pub actor: Option<i64>,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Audit records, newest first.
#[derive(ToSchema)]
pub struct AuditPage {
    pub records: Vec<AuditRecordView>,
}

/// One application in a personal-data export.
#[derive(ToSchema)]
pub struct ExportedApplication {
    #[schema(value_type = crate::cases::ApplicationView)]
    pub application: (),
    #[schema(value_type = Option<SignedDecision>)]
    pub signed_decision: (),
}

/// Everything stored about an account.
#[derive(ToSchema)]
pub struct PersonalData {
    /// `zige.personal-data/1`.
    pub format: String,
    pub exported_at: String,
    #[schema(value_type = crate::cases::UserView)]
    pub account: (),
    pub applications: Vec<ExportedApplication>,
}

/// A problem of an edition's build.
#[derive(ToSchema)]
pub struct EditionProblem {
    pub at: String,
    pub message: String,
}

/// One overlay change of a draft edition.
#[derive(ToSchema)]
pub struct OverlayChange {
    pub at: String,
    pub author: Option<i64>,
    pub note: String,
}

/// The security schemes: a bearer token from `POST /api/v1/session`, or
/// the session cookie of the pages with its CSRF header on unsafe methods.
pub struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "`Authorization: Bearer TOKEN`, the token answered by POST /api/v1/session",
                    ))
                    .build(),
            ),
        );
        c.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::cases::accounts::sessions::COOKIE,
                "The session cookie set by the sign-in page; unsafe methods (POST, PUT, PATCH, DELETE) also need the `csrf` scheme",
            ))),
        );
        c.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's CSRF token (`csrf` of the session); required with the cookie on unsafe methods, not with a bearer token",
            ))),
        );
    }
}
