//! Recognition cases as the pages and the API both use them: each
//! function checks who asks, validates, calls the core and the store, and
//! answers with a view or with errors that name the field.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use zige_cases::application::transition;
use zige_cases::text::{self, check_text, Lines};
use zige_cases::{
    Action, ApplicationForm, DecisionDoc, Email, MediaType, Password, Role, State, Timestamp,
};
use zige_catalog::{Bilingual, Catalog, Entry};
use zige_store::{Application, Change, DecisionRecord, NewDecision, QueueFilter, User};

use crate::auth::{self, now_ms, Viewer};
use crate::error::{ApiError, ApiErrors};
use crate::state::Shared;

pub type Res<T> = Result<T, ApiErrors>;

fn iso(ms: i64) -> String {
    Timestamp(ms).rfc3339()
}

// ---------- accounts and sessions ----------

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAccount {
    /// An e-mail address: at most 64 characters before the @, a domain with a dot.
    /// (The server also takes non-ASCII addresses, whose length it counts in bytes.)
    #[schema(
        max_length = 254,
        pattern = "^[!#-'*+\\-./0-9=?A-Z^-~]{1,64}@[!#-'*+\\-0-9=?A-Z^-~]+(\\.[!#-'*+\\-0-9=?A-Z^-~]+)+$"
    )]
    pub email: String,
    /// 10–128 characters, not the e-mail address, not one character repeated.
    #[schema(
        min_length = 10,
        max_length = 128,
        pattern = "^(?!([\\s\\S])\\1*$)[\\s\\S]*$"
    )]
    pub password: String,
    /// The name to greet you by (defaults to the part of the e-mail before @).
    #[serde(default)]
    #[schema(
        max_length = 100,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub name: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[schema(value_type = crate::schemas::RoleSchema)]
    pub role: Role,
    pub created_at: String,
    pub disabled: bool,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id,
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role,
            created_at: iso(u.created_at),
            disabled: u.disabled,
        }
    }
}

/// Self-registration: always an applicant. Every invalid field is named.
pub async fn register(s: &Shared, a: &NewAccount) -> Res<User> {
    let store = s.store()?;
    let mut errs = Vec::new();
    let email = Email::parse(&a.email)
        .map_err(|e| errs.push(ApiError::from_input(e)))
        .ok();
    if let Some(email) = &email {
        if let Err(e) = Password::parse(&a.password, email) {
            errs.push(ApiError::from_input(e));
        }
    }
    let given = a.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let name = match (given, &email) {
        (Some(n), _) => n.to_string(),
        (None, Some(e)) => e.as_str().split('@').next().unwrap_or("").to_string(),
        (None, None) => String::new(),
    };
    if let Err(e) = zige_cases::text::check_name("name", &name, zige_cases::text::MAX_NAME) {
        errs.push(ApiError::from_input(e));
    }
    let Some(email) = email.filter(|_| errs.is_empty()) else {
        return Err(ApiErrors(errs));
    };
    let hash = auth::hash_password(a.password.clone()).await?;
    Ok(store
        .create_user(
            email.as_str(),
            &name,
            Role::Applicant,
            &hash,
            now_ms(),
            None,
        )
        .await
        .map_err(ApiError::from)?)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    #[schema(
        max_length = 254,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub email: String,
    pub password: String,
    /// The second factor, when the account has one (reviewers and admins
    /// always): the 6-digit code from the authenticator app, or an unused
    /// recovery code.
    #[serde(default)]
    pub code: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    /// For cookie sessions: the value of `X-CSRF-Token` / the `csrf` form field.
    pub csrf: String,
    pub expires_at: String,
    pub user: UserView,
}

/// 429 with how long to wait (also the `Retry-After` header).
pub(crate) fn too_many(until: i64, now: i64) -> ApiError {
    let secs = ((until - now).max(0) as u64).div_ceil(1000).max(1);
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        format!("too many failed sign-ins for this account or from this address: try again in {secs} second(s)"),
        format!("登录失败次数过多，请 {secs} 秒后再试"),
    );
    e.retry_after = Some(secs);
    e
}

/// Signs in, throttled per account and address and per address (the
/// policy is described in `auth`): the password, then the second factor
/// when the account has one (or must have one).
pub async fn login(s: &Shared, c: &Credentials, address: &str) -> Res<SessionView> {
    use crate::second_factor::{self as sf, Needs};
    let user = check_password(s, c, address).await?;
    match sf::needs(s, &user).await? {
        Needs::Nothing => forget_failures(s, &user.email, address).await?,
        Needs::Enrolment => return Err(sf::enrolment_required().into()),
        Needs::Code => match c.code.as_deref().filter(|c| !c.trim().is_empty()) {
            None => return Err(sf::code_required().into()),
            Some(code) => sf::check_code(s, &user, code, address).await?,
        },
    }
    start_session(s, &user).await
}

/// The account whose password this is, throttled per account and per
/// address; nothing tells whether the address has an account.
pub async fn check_password(s: &Shared, c: &Credentials, address: &str) -> Res<User> {
    let store = s.store()?;
    // The form the address was registered under (NFKC, lower case).
    let email = Email::normalise(&c.email).map_err(ApiError::from_input)?;
    let now = now_ms();
    let forget = now - auth::FORGET_MS;
    let (account_key, address_key) = auth::throttle_keys(&email, address);
    let keys = [
        (address_key.as_str(), auth::FREE_FAILURES_ADDRESS),
        (account_key.as_str(), auth::FREE_FAILURES_ACCOUNT),
    ];
    if let Err(until) = store
        .reserve_login_attempt(&keys, now, forget, auth::MAX_DELAY_MS)
        .await
        .map_err(ApiError::from)?
    {
        return Err(too_many(until, now).into());
    }
    let found = store.user_by_email(&email).await.map_err(ApiError::from)?;
    let ok = match auth::verify_password(c.password.clone(), found.as_ref().map(|f| f.1.clone()))
        .await
    {
        Ok(ok) => ok,
        Err(busy) => {
            // Not evaluated: not a failure.
            store
                .release_login_attempt(&keys, &[], now, forget)
                .await
                .map_err(ApiError::from)?;
            return Err(busy.into());
        }
    };
    let user = match found {
        Some((u, _)) if ok && !u.disabled => u,
        _ => {
            let mut e = ApiError::new(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "e-mail address or password is wrong",
                "邮箱或密码错误",
            );
            e.field = Some("password".into());
            return Err(e.into());
        }
    };
    // The password was right: the attempt is given back, but the failures
    // already counted stay until the whole sign-in (second factor
    // included) succeeds, so a known password does not reset the count of
    // wrong codes.
    store
        .release_login_attempt(&keys, &[], now, forget)
        .await
        .map_err(ApiError::from)?;
    Ok(user)
}

/// After a whole sign-in succeeded: the account's failures from this
/// address are forgotten.
pub async fn forget_failures(s: &Shared, email: &str, address: &str) -> Res<()> {
    let now = now_ms();
    let (account_key, _) = auth::throttle_keys(email, address);
    s.store()?
        .release_login_attempt(&[], &[account_key.as_str()], now, now - auth::FORGET_MS)
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

/// A new full session for an account that has passed every check.
pub async fn start_session(s: &Shared, user: &User) -> Res<SessionView> {
    let store = s.store()?;
    let now = now_ms();
    let token = auth::token();
    let csrf = auth::token();
    let expires = now + auth::SESSION_MS;
    store
        .create_session(
            &zige_cases::sha256_hex(token.as_bytes()),
            user.id,
            &csrf,
            now,
            expires,
        )
        .await
        .map_err(ApiError::from)?;
    Ok(SessionView {
        token,
        csrf,
        expires_at: iso(expires),
        user: user.into(),
    })
}

pub async fn logout(s: &Shared, v: &Viewer) -> Res<()> {
    s.store()?
        .delete_session(&v.token_hash)
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

// ---------- applications ----------

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvidenceView {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: String,
    /// Where to download it (owner and reviewers only).
    pub url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub at: String,
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    pub to_label: Bilingual,
    /// `applicant`, `reviewer`, `admin`; who it was is in the audit log.
    pub by: Option<String>,
    pub reason: String,
}

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
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationView {
    pub id: i64,
    pub state: String,
    pub state_label: Bilingual,
    /// Send back with changes; a stale version gets 409.
    pub version: i64,
    /// The edition the application is made under.
    pub catalog: String,
    /// The entry the profile names, when it names one of the edition.
    #[schema(value_type = Option<crate::schemas::EntryBrief>)]
    pub entry: Option<Value>,
    #[schema(value_type = crate::schemas::ApplicationFormSchema)]
    pub form: ApplicationForm,
    pub created_at: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    pub applicant: Option<UserView>,
    pub evidence: Vec<EvidenceView>,
    pub timeline: Vec<EventView>,
    /// What a submission still lacks or gets wrong (drafts, requests for information).
    pub missing: Vec<ApiError>,
    /// The rules engine's decision on the profile as given, with its trace.
    pub precheck: Option<zige_rules::Decision>,
    pub decision: Option<DecisionSummary>,
}

fn catalog_of<'a>(s: &'a Shared, id: &str) -> &'a Catalog {
    s.edition(Some(id)).unwrap_or_else(|_| s.current()).catalog
}

fn entry_json(e: &Entry) -> Value {
    json!({"id": e.id, "code": e.code, "list": e.list, "name": e.name})
}

fn parse_form(v: Value) -> Result<ApplicationForm, ApiErrors> {
    // serde would take a list for a struct; the API document says object.
    if let Some((field, _)) = [("form", Some(&v)), ("certificate", v.get("certificate"))]
        .into_iter()
        .find(|(_, x)| x.is_some_and(|x| !x.is_object()))
    {
        return Err(ApiError::invalid(field, "(not an object)", "a JSON object").into());
    }
    let form: ApplicationForm = serde_json::from_value(v).map_err(|e| ApiError::invalid("form", &e.to_string(), "an object with holder_name, profile {entry, level, experience_years, age, nationality, education, beijing_employer, high_end_industry, project} and certificate {number, issuer, issued_on, expires_on}"))?;
    let errs = form.check_draft();
    if !errs.is_empty() {
        return Err(ApiErrors(ApiError::from_inputs(errs)));
    }
    Ok(form)
}

/// The entry named by a form's profile, if it names one of `catalog`.
fn entry_of<'a>(catalog: &'a Catalog, form: &ApplicationForm) -> Option<&'a Entry> {
    form.profile
        .get("entry")
        .and_then(Value::as_str)
        .and_then(|e| catalog.find(e))
}

fn entry_keys<'a>(entry: Option<&'a Entry>) -> (Option<&'a str>, Option<&'a str>) {
    (
        entry.map(|e| e.code.as_str()),
        entry.map(|e| e.list.as_str()),
    )
}

/// The application, if `v` may see it: its applicant always; reviewers and
/// admins once it has been submitted. Anyone else gets 404, as if it did
/// not exist.
pub async fn load(s: &Shared, v: &Viewer, id: i64) -> Res<Application> {
    let not_found = || {
        ApiErrors::from(ApiError::not_found(
            "application",
            &id.to_string(),
            Vec::new(),
        ))
    };
    let app = s
        .store()?
        .application(id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(not_found)?;
    let mine = app.applicant_id == v.user.id;
    if mine || (v.user.role.reviews() && app.state != State::Draft) {
        Ok(app)
    } else {
        Err(not_found())
    }
}

pub async fn view(s: &Shared, v: &Viewer, app: &Application) -> Res<ApplicationView> {
    let store = s.store()?;
    let catalog = catalog_of(s, &app.catalog);
    let form: ApplicationForm = serde_json::from_str(&app.form).unwrap_or_default();
    let entry = entry_of(catalog, &form);
    let evidence = store.evidence(app.id).await.map_err(ApiError::from)?;
    let events = store.events(app.id).await.map_err(ApiError::from)?;
    let today = Timestamp(now_ms()).date();
    let missing = if app.state.editable() {
        let mut m = match form.complete(catalog, today) {
            Ok(_) => Vec::new(),
            Err(errs) => ApiError::from_inputs(errs),
        };
        if evidence.is_empty() {
            m.push(ApiError::invalid(
                "evidence",
                "",
                "at least one file: PDF, JPEG or PNG of the certificate",
            ));
        }
        m
    } else {
        Vec::new()
    };
    let precheck = form
        .profile
        .get("entry")
        .and_then(|_| {
            zige_rules::Profile::from_json(&Value::Object(form.profile.clone()).to_string()).ok()
        })
        .and_then(|p| zige_rules::decide(catalog, s.policy, &p).ok());
    let decision = store
        .decision_of(app.id)
        .await
        .map_err(ApiError::from)?
        .map(|d| summary(s, &d));
    let applicant = if v.user.id == app.applicant_id {
        None
    } else {
        store
            .user(app.applicant_id)
            .await
            .map_err(ApiError::from)?
            .as_ref()
            .map(UserView::from)
    };
    Ok(ApplicationView {
        id: app.id,
        state: app.state.code().into(),
        state_label: app.state.label(),
        version: app.version,
        catalog: app.catalog.clone(),
        entry: entry.map(entry_json),
        form,
        created_at: iso(app.created_at),
        updated_at: iso(app.updated_at),
        submitted_at: app.submitted_at.map(iso),
        applicant,
        evidence: evidence
            .into_iter()
            .map(|e| EvidenceView {
                url: format!("/api/v1/applications/{}/evidence/{}", app.id, e.id),
                id: e.id,
                name: e.name,
                media_type: e.media_type.mime().into(),
                size: e.size,
                sha256: e.sha256,
                uploaded_at: iso(e.uploaded_at),
            })
            .collect(),
        timeline: events
            .into_iter()
            .map(|e| EventView {
                at: iso(e.at),
                action: e.action,
                from: e.from_state.map(|s| s.code().to_string()),
                to: e.to_state.code().into(),
                to_label: e.to_state.label(),
                by: e.actor_role.map(|r| r.code().to_string()),
                reason: e.reason,
            })
            .collect(),
        missing,
        precheck,
        decision,
    })
}

fn summary(s: &Shared, d: &DecisionRecord) -> DecisionSummary {
    let base = s
        .cases
        .as_ref()
        .map(|c| c.public_url.as_str())
        .unwrap_or("");
    DecisionSummary {
        number: d.number.clone(),
        verification_code: d.code.clone(),
        verification_url: format!("{base}/verify/{}", d.code),
        issued_at: iso(d.issued_at),
        revoked_at: d.revoked_at.map(iso),
        revoked_reason: d.revoked_reason.clone(),
        download: format!("/api/v1/applications/{}/decision.json", d.application_id),
    }
}

/// A new draft, from an optional partial form.
pub async fn create(s: &Shared, v: &Viewer, form: Value) -> Res<Application> {
    v.require(v.is(Role::Applicant))?;
    let form = if form.is_null() {
        ApplicationForm::default()
    } else {
        parse_form(form)?
    };
    let ed = s.current();
    let entry = entry_of(ed.catalog, &form);
    let text = serde_json::to_string(&form).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(s.store()?
        .create_application(
            v.user.id,
            &ed.catalog.id.to_string(),
            &text,
            entry_keys(entry),
            now_ms(),
        )
        .await
        .map_err(ApiError::from)?)
}

/// Saves a draft's form, if nobody changed it since `version`.
pub async fn save(s: &Shared, v: &Viewer, id: i64, version: i64, form: Value) -> Res<Application> {
    let app = load(s, v, id).await?;
    owner_may(v, &app)?;
    if !app.state.editable() {
        return Err(not_now(app.state, "edited", "修改").into());
    }
    let form = parse_form(form)?;
    let entry = entry_of(catalog_of(s, &app.catalog), &form);
    let text = serde_json::to_string(&form).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(s.store()?
        .update_form(id, version, &text, entry_keys(entry), v.user.id, now_ms())
        .await
        .map_err(ApiError::from)?)
}

fn owner_may(v: &Viewer, app: &Application) -> Result<(), ApiError> {
    v.require(app.applicant_id == v.user.id)
}

fn not_now(state: State, en: &str, zh: &str) -> ApiError {
    let l = state.label();
    ApiError::conflict(
        format!("the application is {} and can no longer be {en}", l.en),
        format!("申请当前状态为“{}”，不能{zh}", l.zh),
    )
}

/// Stores an evidence file: at most 10 MiB, PDF, JPEG or PNG by content.
pub async fn add_evidence(
    s: &Shared,
    v: &Viewer,
    id: i64,
    given_name: &str,
    bytes: bytes::Bytes,
) -> Res<EvidenceView> {
    let app = load(s, v, id).await?;
    owner_may(v, &app)?;
    if !app.state.editable() {
        return Err(not_now(app.state, "changed", "修改").into());
    }
    if bytes.len() > zige_cases::MAX_EVIDENCE_BYTES {
        return Err(too_large(bytes.len()).into());
    }
    let Some(mt) = MediaType::sniff(&bytes) else {
        let mut e = ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the file is not a PDF, JPEG or PNG (judged by its content, not its name)",
            "文件不是 PDF、JPEG 或 PNG（按内容判断，而非文件名）",
        );
        e.field = Some("file".into());
        e.value = Some(zige_cases::evidence::display_name(given_name));
        e.allowed = Some(MediaType::ALLOWED.into());
        return Err(e.into());
    };
    let size = bytes.len() as i64;
    // The limits (files per application, bytes per account) are checked
    // in the record's transaction; the file is stored first and kept by
    // the sweep's grace period even if the record is refused.
    let e = s
        .store()?
        .store_evidence(
            &s.cases()?.blobs,
            bytes,
            mt,
            &zige_cases::evidence::display_name(given_name),
            id,
            v.user.id,
            now_ms(),
        )
        .await
        .map_err(ApiError::from)?;
    Ok(EvidenceView {
        url: format!("/api/v1/applications/{id}/evidence/{}", e.id),
        id: e.id,
        name: e.name,
        media_type: mt.mime().into(),
        size,
        sha256: e.sha256,
        uploaded_at: iso(e.uploaded_at),
    })
}

pub fn too_large(n: usize) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "the file is larger than 10 MB; nothing was stored",
        "文件超过 10 MB，未保存",
    );
    e.field = Some("file".into());
    e.value = Some(format!("{n} bytes"));
    e.allowed = Some("at most 10 MB (10485760 bytes)".into());
    e
}

/// An evidence file's bytes, its type and display name.
pub async fn evidence_file(
    s: &Shared,
    v: &Viewer,
    id: i64,
    evidence: i64,
) -> Res<(MediaType, String, bytes::Bytes)> {
    let app = load(s, v, id).await?;
    let e = s
        .store()?
        .evidence(app.id)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .find(|e| e.id == evidence)
        .ok_or_else(|| ApiError::not_found("evidence", &evidence.to_string(), Vec::new()))?;
    let bytes = s
        .cases()?
        .blobs
        .get(&e.sha256)
        .await
        .map_err(ApiError::from)?;
    Ok((e.media_type, e.name, bytes))
}

async fn change(
    s: &Shared,
    v: &Viewer,
    app: &Application,
    action: Action,
    reason: &str,
    version: Option<i64>,
    decision: Option<&(dyn Fn(i64) -> NewDecision + Sync)>,
) -> Res<(Application, Option<DecisionRecord>)> {
    let to = transition(
        app.state,
        action,
        v.user.role,
        app.applicant_id == v.user.id,
    )
    .map_err(transition_error)?;
    // A submission is decided under the edition in force when it is made.
    let catalog = (action == Action::Submit).then(|| s.current().catalog.id.to_string());
    let c = Change {
        id: app.id,
        from: app.state,
        to,
        version,
        action: action.code(),
        actor: Some(v.user.id),
        reason,
        now: now_ms(),
        catalog: catalog.as_deref(),
    };
    Ok(s.store()?
        .transition(&c, decision)
        .await
        .map_err(ApiError::from)?)
}

/// Submits (or resubmits) a complete application with evidence.
pub async fn submit(s: &Shared, v: &Viewer, id: i64) -> Res<Application> {
    let app = load(s, v, id).await?;
    owner_may(v, &app)?;
    if app.state.editable() {
        let form: ApplicationForm = serde_json::from_str(&app.form).unwrap_or_default();
        let mut errs = match form.complete(s.current().catalog, Timestamp(now_ms()).date()) {
            Ok(_) => Vec::new(),
            Err(e) => ApiError::from_inputs(e),
        };
        if s.store()?
            .evidence(id)
            .await
            .map_err(ApiError::from)?
            .is_empty()
        {
            errs.push(ApiError::invalid(
                "evidence",
                "",
                "at least one file: PDF, JPEG or PNG of the certificate",
            ));
        }
        if !errs.is_empty() {
            return Err(ApiErrors(errs));
        }
    }
    Ok(change(s, v, &app, Action::Submit, "", None, None).await?.0)
}

pub async fn withdraw(s: &Shared, v: &Viewer, id: i64, reason: &str) -> Res<Application> {
    let app = load(s, v, id).await?;
    owner_may(v, &app)?;
    // Checked as given: a form feed is refused even where trimming would
    // have removed it.
    check_text("reason", reason, text::MAX_NOTE, Lines::Many).map_err(ApiError::from_input)?;
    let reason = reason.trim();
    Ok(change(s, v, &app, Action::Withdraw, reason, None, None)
        .await?
        .0)
}

pub async fn delete_draft(s: &Shared, v: &Viewer, id: i64) -> Res<()> {
    let app = load(s, v, id).await?;
    owner_may(v, &app)?;
    if app.state != State::Draft {
        return Err(not_now(
            app.state,
            "deleted (only drafts can be)",
            "删除（只能删除草稿）",
        )
        .into());
    }
    // The evidence files stay until the sweep finds no record refers to
    // them: another application may hold the same content.
    s.store()?
        .delete_draft(id, v.user.id, now_ms())
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

/// Reads a case. A reviewer's reading is audited (`case.view`) but changes
/// nothing: only [`start_review`] and [`decide`] move a case.
pub async fn read_case(s: &Shared, v: &Viewer, id: i64) -> Res<Application> {
    let app = load(s, v, id).await?;
    if v.user.role.reviews() && app.applicant_id != v.user.id {
        s.store()?
            .record_view(id, v.user.id, now_ms())
            .await
            .map_err(ApiError::from)?;
    }
    Ok(app)
}

/// Refuses, with 403 and a plain message, a reviewer acting on an
/// application they submitted themselves.
fn not_own(v: &Viewer, app: &Application, action: Action) -> Res<()> {
    zige_cases::application::may(action, v.user.role, app.applicant_id == v.user.id)
        .map_err(|e| transition_error(e).into())
}

fn transition_error(e: zige_cases::TransitionError) -> ApiError {
    use zige_cases::TransitionError as T;
    match e {
        T::Forbidden(..) => ApiError::forbidden(),
        e @ T::OwnApplication(..) => {
            let m = e.message();
            ApiError::new(StatusCode::FORBIDDEN, "own_application", m.en, m.zh)
        }
        e @ T::NotNow(..) => {
            let m = e.message();
            ApiError::conflict(m.en, m.zh)
        }
    }
}

/// A reviewer starts the review of a waiting case (`submitted` or
/// `resubmitted` → `under_review`), if nobody changed it since `version`
/// (when given). Audited as `application.open`.
pub async fn start_review(
    s: &Shared,
    v: &Viewer,
    id: i64,
    version: Option<i64>,
) -> Res<Application> {
    v.require(v.user.role.reviews())?;
    let app = load(s, v, id).await?;
    not_own(v, &app, Action::Open)?;
    Ok(change(s, v, &app, Action::Open, "", version, None).await?.0)
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
    #[serde(default, deserialize_with = "crate::cases_api::opt_whole")]
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

pub async fn decide(s: &Shared, v: &Viewer, id: i64, r: &DecisionRequest) -> Res<DecisionOutcome> {
    v.require(v.user.role.reviews())?;
    let app = load(s, v, id).await?;
    // Whatever the outcome: nobody decides an application they submitted.
    not_own(v, &app, Action::Approve)?;
    let action = match r.outcome.trim() {
        "approved" => Action::Approve,
        "rejected" => Action::Reject,
        "more_information" => Action::RequestInformation,
        other => {
            return Err(
                ApiError::invalid("outcome", other, "approved, rejected, more_information").into(),
            )
        }
    };
    let reasons = r.reasons.as_deref().unwrap_or("");
    check_text("reasons", reasons, text::MAX_REASONS, Lines::Many).map_err(ApiError::from_input)?;
    let reasons = reasons.trim();
    if reasons.is_empty() && action != Action::Approve {
        return Err(ApiError::invalid("reasons", "", "the reasons the applicant will read (required to reject or to ask for more information)").into());
    }
    let version = Some(r.version.unwrap_or(app.version));
    if action != Action::Approve {
        let (app, version) = started(s, v, app, version).await?;
        let (a, _) = change(s, v, &app, action, reasons, version, None).await?;
        return Ok(DecisionOutcome {
            application: a.id,
            state: a.state.code().into(),
            decision: None,
            signed: None,
            verification_code: None,
        });
    }
    let catalog = catalog_of(s, &app.catalog);
    let form: ApplicationForm = serde_json::from_str(&app.form).unwrap_or_default();
    let profile = form
        .complete(catalog, Timestamp(now_ms()).date())
        .map_err(|e| ApiErrors(ApiError::from_inputs(e)))?;
    let rules = zige_rules::decide(catalog, s.policy, &profile).map_err(ApiError::from_input)?;
    if rules.recognized == Some(false) {
        let unmet: Vec<String> = rules
            .unmet
            .iter()
            .map(|u| u.message.en.to_string())
            .collect();
        let mut e = ApiError::conflict(
            format!("the rules engine finds the entry's conditions unmet ({}): reject, or ask for more information", unmet.join("; ")),
            "规则引擎认定未满足该资格的条件：请不予认定，或要求补充材料",
        );
        e.field = Some("outcome".into());
        e.value = Some("approved".into());
        return Err(e.into());
    }
    let cases = s.cases()?;
    let (app, version) = started(s, v, app, version).await?;
    let code = zige_cases::verification_code(&auth::random::<16>());
    let now = now_ms();
    let holder = form
        .holder_name
        .clone()
        .unwrap_or_default()
        .trim()
        .to_string();
    let entry = catalog
        .find(&profile.entry)
        .map(entry_json)
        .unwrap_or(Value::Null);
    let make = |n: i64| {
        let doc = DecisionDoc {
            format: "zige.decision/1".into(),
            number: format!("ZG-{}-{n:06}", &Timestamp(now).rfc3339()[..4]),
            verification_code: code.clone(),
            issued_at: Timestamp(now).rfc3339(),
            issuer: Bilingual::new(
                "北京市境外职业资格认定（资格 Zige）",
                "Beijing recognition of overseas professional qualifications (Zige)",
            ),
            holder_name: holder.clone(),
            application: app.id,
            catalog: app.catalog.clone(),
            policy: rules.policy.to_string(),
            entry: entry.clone(),
            level: rules.level_used.clone(),
            certificate: serde_json::to_value(&form.certificate).unwrap_or(Value::Null),
            title: serde_json::to_value(&rules.title).unwrap_or(Value::Null),
            benefits: serde_json::to_value(&rules.benefits).unwrap_or(Value::Null),
            obligations: serde_json::to_value(&rules.obligations).unwrap_or(Value::Null),
            reasons: (!reasons.is_empty()).then(|| reasons.to_string()),
        };
        let signed = cases.signer.sign(&doc);
        NewDecision {
            number: doc.number,
            code: code.clone(),
            holder_name: holder.clone(),
            signed: serde_json::to_string(&signed).unwrap_or_default(),
        }
    };
    let (a, d) = change(s, v, &app, action, reasons, version, Some(&make)).await?;
    let d = d.ok_or_else(|| ApiError::internal("approval without a decision"))?;
    Ok(DecisionOutcome {
        application: a.id,
        state: a.state.code().into(),
        signed: serde_json::from_str(&d.signed).ok(),
        verification_code: Some(d.code.clone()),
        decision: Some(summary(s, &d)),
    })
}

/// A decision on a case nobody has started reviewing starts its review
/// first (recorded as its own step, `application.open`), so the timeline
/// always shows who took the case up. Gives the case and version to decide on.
async fn started(
    s: &Shared,
    v: &Viewer,
    app: Application,
    version: Option<i64>,
) -> Res<(Application, Option<i64>)> {
    if !matches!(app.state, State::Submitted | State::Resubmitted) {
        return Ok((app, version));
    }
    let (a, _) = change(s, v, &app, Action::Open, "", version, None).await?;
    let version = Some(a.version);
    Ok((a, version))
}

/// The signed decision of an application (its applicant and reviewers).
pub async fn signed_decision(s: &Shared, v: &Viewer, id: i64) -> Res<DecisionRecord> {
    let app = load(s, v, id).await?;
    Ok(s.store()?
        .decision_of(app.id)
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
    /// The key that signed it, published at /api/v1/keys.
    pub key_id: String,
    /// Whether the stored signature checks against the published keys.
    pub signature_valid: bool,
}

/// What anyone may learn from a verification code: status, number, dates,
/// what was recognised, and the holder's name; nothing more personal.
pub async fn verify(s: &Shared, typed: &str) -> Res<Verification> {
    let unknown = || {
        let mut e = ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_decision",
            "no decision has this verification code",
            "没有与此验证码对应的认定决定",
        );
        e.field = Some("code".into());
        e.value = Some(typed.chars().take(40).collect());
        ApiErrors::from(e)
    };
    let code = zige_cases::normalise_code(typed).ok_or_else(unknown)?;
    let d = s
        .store()?
        .decision_by_code(&code)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(unknown)?;
    let signed = zige_cases::SignedDecision::from_json(&d.signed)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let signature_valid = s.cases()?.keys.is_empty() || signed.verify(&s.cases()?.keys).is_ok();
    Ok(Verification {
        status: if d.revoked_at.is_some() {
            "revoked"
        } else {
            "valid"
        }
        .into(),
        number: d.number,
        holder_name: d.holder_name,
        issued_at: iso(d.issued_at),
        revoked_at: d.revoked_at.map(iso),
        revoked_reason: d.revoked_reason,
        catalog: signed.decision["catalog"].as_str().unwrap_or("").into(),
        entry: signed.decision["entry"].clone(),
        level: signed.decision["level"].as_str().map(str::to_string),
        key_id: signed.signature.key_id,
        signature_valid,
    })
}

pub async fn revoke(s: &Shared, v: &Viewer, code: &str, reason: &str) -> Res<Verification> {
    v.require(v.is(Role::Admin))?;
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
    let code = zige_cases::normalise_code(code)
        .ok_or_else(|| ApiError::not_found("decision", code, Vec::new()))?;
    s.store()?
        .revoke(&code, reason, v.user.id, now_ms())
        .await
        .map_err(|e| match e {
            zige_store::StoreError::NotFound => ApiError::not_found("decision", &code, Vec::new()),
            zige_store::StoreError::Conflict => {
                ApiError::conflict("this decision is already revoked", "该决定已被撤销")
            }
            e => e.into(),
        })?;
    verify(s, &code).await
}

// ---------- review queue ----------

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueView {
    pub total: i64,
    pub items: Vec<QueueRow>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueRow {
    pub id: i64,
    pub state: String,
    pub state_label: Bilingual,
    pub entry_code: Option<String>,
    pub entry_name: Option<Bilingual>,
    pub list: Option<String>,
    pub holder_name: Option<String>,
    pub applicant_email: String,
    pub submitted_at: Option<String>,
    /// Whole days since submission.
    pub waiting_days: i64,
}

/// The queue: `state`, `entry` (code), `list` (urgent/general), `waiting_days`
/// (at least), `page` (from 1), 50 per page.
pub async fn queue(
    s: &Shared,
    v: &Viewer,
    p: &std::collections::HashMap<String, String>,
) -> Res<QueueView> {
    v.require(v.user.role.reviews())?;
    let get = |k: &str| p.get(k).map(|x| x.trim()).filter(|x| !x.is_empty());
    let mut errs = Vec::new();
    let state = get("state").and_then(|x| {
        State::parse(x)
            .map_err(|e| errs.push(ApiError::from_input(e)))
            .ok()
    });
    if state.is_some_and(|st| !st.in_queue()) {
        errs.push(ApiError::invalid(
            "state",
            get("state").unwrap_or(""),
            "submitted, under_review, resubmitted",
        ));
    }
    let ed = s.current();
    let entry = get("entry").and_then(|x| match ed.catalog.find(x) {
        Some(e) => Some(e.code.clone()),
        None => {
            errs.push(ApiError::not_found("entry", x, Vec::new()));
            None
        }
    });
    let list = get("list").and_then(|x| match x.to_ascii_lowercase().as_str() {
        "urgent" | "u" => Some("urgent".to_string()),
        "general" | "g" => Some("general".to_string()),
        _ => {
            errs.push(ApiError::invalid("list", x, "urgent, general"));
            None
        }
    });
    let mut num = |k: &str, max: i64| match get(k) {
        None => None,
        Some(x) => match x.parse::<i64>() {
            Ok(n) if (0..=max).contains(&n) => Some(n),
            _ => {
                errs.push(ApiError::invalid(k, x, &format!("a whole number 0–{max}")));
                None
            }
        },
    };
    let waiting = num("waiting_days", 3650);
    let page = num("page", 100_000).unwrap_or(1).max(1);
    if !errs.is_empty() {
        return Err(ApiErrors(errs));
    }
    let now = now_ms();
    let f = QueueFilter {
        state,
        entry_code: entry,
        list,
        submitted_before: waiting.map(|d| now - d * 86_400_000),
        viewer: Some(v.user.id),
        limit: 50,
        offset: (page - 1) * 50,
    };
    let (total, items) = s.store()?.queue(&f).await.map_err(ApiError::from)?;
    let items = items
        .into_iter()
        .map(|q| {
            let a = q.application;
            let form: ApplicationForm = serde_json::from_str(&a.form).unwrap_or_default();
            let name = a
                .entry_code
                .as_deref()
                .and_then(|c| catalog_of(s, &a.catalog).find(c))
                .map(|e| Bilingual::new(e.name.zh.clone(), e.name.en.clone()));
            QueueRow {
                id: a.id,
                state: a.state.code().into(),
                state_label: a.state.label(),
                entry_code: a.entry_code,
                entry_name: name,
                list: a.entry_list,
                holder_name: form.holder_name,
                applicant_email: q.applicant_email,
                waiting_days: a.submitted_at.map(|t| (now - t) / 86_400_000).unwrap_or(0),
                submitted_at: a.submitted_at.map(iso),
            }
        })
        .collect();
    Ok(QueueView { total, items })
}

// ---------- admin and personal data ----------

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UserUpdate {
    /// `applicant`, `reviewer` or `admin`.
    #[schema(value_type = Option<crate::schemas::RoleSchema>)]
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

pub async fn update_user(s: &Shared, v: &Viewer, id: i64, u: &UserUpdate) -> Res<User> {
    v.require(v.is(Role::Admin))?;
    let store = s.store()?;
    let current = store
        .user(id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::not_found("user", &id.to_string(), Vec::new()))?;
    let role = match &u.role {
        Some(r) => Role::parse(r).map_err(ApiError::from_input)?,
        None => current.role,
    };
    let disabled = u.disabled.unwrap_or(current.disabled);
    if id == v.user.id && (role != Role::Admin || disabled) {
        return Err(ApiError::conflict(
            "you cannot remove your own admin role or disable yourself",
            "不能取消自己的管理员角色或停用自己",
        )
        .into());
    }
    Ok(store
        .update_user(id, role, disabled, v.user.id, now_ms())
        .await
        .map_err(ApiError::from)?)
}

pub async fn users(s: &Shared, v: &Viewer) -> Res<Vec<User>> {
    v.require(v.is(Role::Admin))?;
    Ok(s.store()?.users().await.map_err(ApiError::from)?)
}

pub async fn audit(
    s: &Shared,
    v: &Viewer,
    before: Option<i64>,
    limit: i64,
) -> Res<Vec<zige_cases::AuditRecord>> {
    v.require(v.is(Role::Admin))?;
    Ok(s.store()?
        .audit_recent(before, limit.clamp(1, 500))
        .await
        .map_err(ApiError::from)?)
}

/// Everything stored about the viewer, as one JSON document.
pub async fn export_mine(s: &Shared, v: &Viewer) -> Res<Value> {
    let store = s.store()?;
    let mut apps = Vec::new();
    for a in store
        .applications_of(v.user.id)
        .await
        .map_err(ApiError::from)?
    {
        let view = view(s, v, &a).await?;
        let signed = store
            .decision_of(a.id)
            .await
            .map_err(ApiError::from)?
            .and_then(|d| serde_json::from_str::<Value>(&d.signed).ok());
        apps.push(json!({"application": view, "signed_decision": signed}));
    }
    Ok(
        json!({"format": "zige.personal-data/1", "exported_at": iso(now_ms()), "account": UserView::from(&v.user), "applications": apps}),
    )
}

pub async fn mine(s: &Shared, v: &Viewer) -> Res<Vec<ApplicationView>> {
    let mut out = Vec::new();
    for a in s
        .store()?
        .applications_of(v.user.id)
        .await
        .map_err(ApiError::from)?
    {
        out.push(view(s, v, &a).await?);
    }
    Ok(out)
}
