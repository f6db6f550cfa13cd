//! Decisions: a reviewer decides a case (an approval is signed and
//! numbered), the signed decision, public verification by code, and
//! revoking. The document itself is assembled by
//! [`zige_cases::decision`]; this module checks permission and calls the
//! store. [`api`] and [`pages`] are the two faces of these operations;
//! [`verification`] is the public page that checks a code or a credential.

pub mod api;
pub mod pages;
pub mod verification;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zige_cases::decision::{entry_summary, Approval, Outcome};
use zige_cases::text::{self, check_text, Lines};
use zige_cases::{Action, ApplicationForm, State, Timestamp};
use zige_store::{Application, DecisionRecord, NewDecision};

use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications::load;
use crate::cases::transitions::{change, not_own};
use crate::cases::{catalog_of, iso, now_ms, random, Res};
use crate::error::{ApiError, ApiErrors};
use crate::state::Shared;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionSummary {
    pub number: String,
    pub verification_code: String,
    pub verification_url: String,
    pub issued_at: String,
    pub revoked_at: Option<String>,
    pub revoked_reason: Option<String>,
    /// The signed JSON of the decision.
    pub download: String,
    /// The decision as a W3C Verifiable Credential (public, like verification).
    pub credential: String,
}

/// Where anyone checks a decision: this server's public address.
pub fn public_url(state: &Shared) -> &str {
    state
        .cases
        .as_ref()
        .map(|cases| cases.public_url.as_str())
        .unwrap_or("")
}

/// The verification address of decision `code`, to print on it; None
/// when the public address is this machine's and the service is not in
/// development mode (nobody else could open it).
pub fn verification_link(state: &Shared, code: &str) -> Option<String> {
    let base = public_url(state);
    let local = base.is_empty() || crate::config::is_local_url(base);
    (!local || state.settings.development).then(|| format!("{base}/verify/{code}"))
}

/// An edition as people name it: `Catalogue 3.0 of 2023-09-04` /
/// `目录3.0版（2023-09-04）`; the id itself when no edition has it.
pub fn edition_name(state: &Shared, t: &crate::i18n::Tr, id: &str) -> String {
    match state.edition(Some(id)) {
        Ok(edition) => t.with(
            "staff-edition-name",
            &[
                ("version", edition.catalog.id.version.clone()),
                ("published", edition.catalog.published.clone()),
            ],
        ),
        Err(_) => id.to_string(),
    }
}

/// The policy a decision rests on by its name (`beijing/2023` is the
/// built-in policy's id); the id itself for any other.
pub fn policy_name(state: &Shared, t: &crate::i18n::Tr, id: &str) -> String {
    let policy = state.policy;
    if id == format!("{}/{}", policy.id, policy.version) {
        t.pick(&policy.name)
    } else {
        id.to_string()
    }
}

/// A stored decision as an application's view shows it.
pub fn summary(state: &Shared, decision: &DecisionRecord) -> DecisionSummary {
    DecisionSummary {
        number: decision.number.clone(),
        verification_code: decision.code.clone(),
        verification_url: format!("{}/verify/{}", public_url(state), decision.code),
        issued_at: iso(decision.issued_at),
        revoked_at: decision.revoked_at.map(iso),
        revoked_reason: decision.revoked_reason.clone(),
        download: format!(
            "/api/v1/applications/{}/decision.json",
            decision.application_id
        ),
        credential: format!("/api/v1/decisions/{}/credential", decision.code),
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionRequest {
    /// `approved`, `rejected` or `more_information`.
    #[schema(pattern = "^\\s*(approved|rejected|more_information)\\s*$")]
    pub outcome: String,
    /// Required to reject or to ask for more information; shown to the applicant.
    #[serde(default)]
    #[schema(
        max_length = 4000,
        pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub reasons: Option<String>,
    /// The version the reviewer saw; a stale one gets 409.
    #[serde(default, deserialize_with = "crate::extract::opt_whole")]
    pub version: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionOutcome {
    pub application: i64,
    pub state: String,
    /// Present for approvals.
    pub decision: Option<DecisionSummary>,
    /// Approvals: the signed decision as downloaded.
    #[schema(value_type = Option<crate::schemas::SignedDecision>)]
    pub signed: Option<Value>,
    pub verification_code: Option<String>,
}

/// A reviewer decides a case: approves it (a signed, numbered decision),
/// rejects it, or asks for more information (both with reasons).
pub async fn decide(
    state: &Shared,
    viewer: &Viewer,
    id: i64,
    request: &DecisionRequest,
) -> Res<DecisionOutcome> {
    let application = decidable(state, viewer, id).await?;
    let (outcome, reasons) = checked(request)?;
    let reasons = reasons.as_str();
    let version = Some(request.version.unwrap_or(application.version));
    if outcome != Outcome::Approved {
        let (application, version) = started(state, viewer, application, version).await?;
        let (decided, _) = change(
            state,
            viewer,
            &application,
            outcome.action(),
            reasons,
            version,
            None,
        )
        .await?;
        return Ok(DecisionOutcome {
            application: decided.id,
            state: decided.state.code().into(),
            decision: None,
            signed: None,
            verification_code: None,
        });
    }
    approve(state, viewer, application, reasons, version).await
}

/// Application `id`, when `viewer` may decide it: a reviewer, and
/// (whatever the outcome) never on an application they submitted.
pub async fn decidable(state: &Shared, viewer: &Viewer, id: i64) -> Res<Application> {
    viewer.require(viewer.user.role.reviews())?;
    let application = load(state, viewer, id).await?;
    not_own(viewer, &application, Action::Approve)?;
    Ok(application)
}

/// The outcome and the trimmed reasons of a decision, or every problem
/// with them (the reasons are required to reject or to ask for more).
pub fn checked(request: &DecisionRequest) -> Result<(Outcome, String), ApiErrors> {
    let reasons = request.reasons.as_deref().unwrap_or("");
    let mut errors = Vec::new();
    let outcome = Outcome::parse(&request.outcome);
    if outcome.is_none() {
        errors.push(ApiError::invalid(
            "outcome",
            request.outcome.trim(),
            Outcome::ALLOWED,
        ));
    }
    if let Err(e) = check_text("reasons", reasons, text::MAX_REASONS, Lines::Many) {
        errors.push(ApiError::from_input(e));
    } else if reasons.trim().is_empty() && outcome.is_some_and(|o| o != Outcome::Approved) {
        errors.push(ApiError::invalid("reasons", "", "the reasons the applicant will read (required to reject or to ask for more information)"));
    }
    match (outcome, errors.is_empty()) {
        (Some(outcome), true) => Ok((outcome, reasons.trim().to_string())),
        _ => Err(ApiErrors(errors)),
    }
}

/// Approves a case the rules engine does not find unmet: the decision
/// document is signed and stored with the state change.
async fn approve(
    state: &Shared,
    viewer: &Viewer,
    application: Application,
    reasons: &str,
    version: Option<i64>,
) -> Res<DecisionOutcome> {
    let catalog = catalog_of(state, &application.catalog);
    let form: ApplicationForm = serde_json::from_str(&application.form).unwrap_or_default();
    let profile = form
        .complete(catalog, Timestamp(now_ms()).date())
        .map_err(|e| ApiErrors(ApiError::from_inputs(e)))?;
    let rules =
        zige_rules::decide(catalog, state.policy, &profile).map_err(ApiError::from_input)?;
    if rules.recognized == Some(false) {
        return Err(conditions_unmet(&rules).into());
    }
    let keys = crate::cases::signing::keys(state).await?;
    let (application, version) = started(state, viewer, application, version).await?;
    let code = zige_cases::verification_code(&random::<16>());
    let approval = Approval {
        application: application.id,
        catalog: &application.catalog,
        form: &form,
        entry: catalog
            .find(&profile.entry)
            .map(entry_summary)
            .unwrap_or(Value::Null),
        rules: &rules,
        verification_code: &code,
        issued_at: Timestamp(now_ms()),
        reasons,
        authority: &state.settings.authority,
    };
    let holder_name = approval.holder_name();
    let make = |sequence: i64| {
        let document = approval.document(sequence);
        let signed = keys.signer.sign(&document);
        NewDecision {
            number: document.number,
            code: code.clone(),
            holder_name: holder_name.clone(),
            signed: serde_json::to_string(&signed).unwrap_or_default(),
        }
    };
    let (decided, record) = change(
        state,
        viewer,
        &application,
        Action::Approve,
        reasons,
        version,
        Some(&make),
    )
    .await?;
    let record = record.ok_or_else(|| ApiError::internal("approval without a decision"))?;
    Ok(DecisionOutcome {
        application: decided.id,
        state: decided.state.code().into(),
        signed: serde_json::from_str(&record.signed).ok(),
        verification_code: Some(record.code.clone()),
        decision: Some(summary(state, &record)),
    })
}

/// 409 naming the conditions the rules engine finds unmet.
fn conditions_unmet(rules: &zige_rules::Decision) -> ApiError {
    let unmet: Vec<String> = rules
        .unmet
        .iter()
        .map(|item| item.message.en.to_string())
        .collect();
    ApiError::localized(
        StatusCode::CONFLICT,
        "conflict",
        "api-conditions-unmet",
        &[("unmet", unmet.join("; "))],
    )
    .with_field("outcome")
    .with_value("approved")
}

/// A decision on a case nobody has started reviewing starts its review
/// first (recorded as its own step, `application.open`), so the timeline
/// always shows who took the case up. Gives the case and version to decide on.
async fn started(
    state: &Shared,
    viewer: &Viewer,
    application: Application,
    version: Option<i64>,
) -> Res<(Application, Option<i64>)> {
    if !matches!(application.state, State::Submitted | State::Resubmitted) {
        return Ok((application, version));
    }
    let (opened, _) = change(state, viewer, &application, Action::Open, "", version, None).await?;
    let version = Some(opened.version);
    Ok((opened, version))
}

/// The signed decision of an application (its applicant and reviewers).
pub async fn signed_decision(state: &Shared, viewer: &Viewer, id: i64) -> Res<DecisionRecord> {
    let application = load(state, viewer, id).await?;
    Ok(state
        .store()?
        .decision_of(application.id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::not_found("decision", &id.to_string(), Vec::new()))?)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// `valid` or `revoked`.
    pub status: String,
    pub number: String,
    pub holder_name: String,
    pub issued_at: String,
    pub revoked_at: Option<String>,
    pub revoked_reason: Option<String>,
    pub catalog: String,
    /// What was recognised (null if the entry is not in the edition any more).
    #[schema(value_type = Option<crate::schemas::EntryBrief>)]
    pub entry: Value,
    pub level: Option<String>,
    /// The authority that issued it, in Chinese and English.
    pub issuer: Option<zige_catalog::Bilingual>,
    /// The key that signed it, published at /api/v1/keys.
    pub key_id: String,
    /// Whether the stored signature checks against the published keys.
    pub signature_valid: bool,
}

/// The decision a typed verification code names (case, dashes and spaces
/// ignored), with its signed document; 404 naming the code when none has it.
pub async fn by_code(
    state: &Shared,
    typed: &str,
) -> Res<(DecisionRecord, zige_cases::SignedDecision)> {
    let unknown = || {
        ApiErrors::from(
            ApiError::localized(
                StatusCode::NOT_FOUND,
                "unknown_decision",
                "api-unknown-decision",
                &[],
            )
            .with_field("code")
            .with_value(typed.chars().take(40).collect::<String>()),
        )
    };
    let code = zige_cases::normalise_code(typed).ok_or_else(unknown)?;
    let record = state
        .store()?
        .decision_by_code(&code)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(unknown)?;
    let signed = zige_cases::SignedDecision::from_json(&record.signed)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((record, signed))
}

/// What anyone may learn from a verification code: status, number, dates,
/// what was recognised, and the holder's name; nothing more personal.
pub async fn verify(state: &Shared, typed: &str) -> Res<Verification> {
    let (record, signed) = by_code(state, typed).await?;
    let keys = crate::cases::signing::keys(state).await?.published;
    let signature_valid = signed.verify(&keys).is_ok();
    Ok(Verification {
        status: if record.revoked_at.is_some() {
            "revoked"
        } else {
            "valid"
        }
        .into(),
        number: record.number,
        holder_name: record.holder_name,
        issued_at: iso(record.issued_at),
        revoked_at: record.revoked_at.map(iso),
        revoked_reason: record.revoked_reason,
        catalog: signed.decision["catalog"].as_str().unwrap_or("").into(),
        entry: signed.decision["entry"].clone(),
        level: signed.decision["level"].as_str().map(str::to_string),
        issuer: serde_json::from_value(signed.decision["issuer"].clone()).ok(),
        key_id: signed.signature.key_id,
        signature_valid,
    })
}

/// The reason for revoking, trimmed: 1–2000 characters of plain text.
pub fn check_reason(reason: &str) -> Result<&str, ApiErrors> {
    check_text("reason", reason, text::MAX_NOTE, Lines::Many).map_err(ApiError::from_input)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::invalid(
            "reason",
            reason,
            "the reason for revoking, 1–2000 characters",
        )
        .into());
    }
    Ok(reason)
}

/// An admin revokes a decision, with the reason anyone verifying it reads.
pub async fn revoke(
    state: &Shared,
    viewer: &Viewer,
    code: &str,
    reason: &str,
) -> Res<Verification> {
    viewer.require(viewer.is(zige_cases::Role::Admin))?;
    let reason = check_reason(reason)?;
    let code = zige_cases::normalise_code(code)
        .ok_or_else(|| ApiError::not_found("decision", code, Vec::new()))?;
    state
        .store()?
        .revoke(&code, reason, viewer.user.id, now_ms())
        .await
        .map_err(|e| match e {
            zige_store::StoreError::NotFound => ApiError::not_found("decision", &code, Vec::new()),
            zige_store::StoreError::Conflict => {
                ApiError::localized(StatusCode::CONFLICT, "conflict", "api-already-revoked", &[])
            }
            other => other.into(),
        })?;
    verify(state, &code).await
}
