//! Accounts: registering, signing in and out, sessions, the second
//! factor, and the export of one's own data. This module holds the
//! operations the pages and the API share; [`api`] and [`pages`] are
//! their two faces.

pub mod api;
pub mod email;
pub mod links;
pub mod pages;
pub mod password_reset;
pub mod passwords;
pub mod second_factor;
pub mod sessions;
pub mod throttle;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use zige_cases::{Email, Password, Role};
use zige_store::User;

use self::second_factor::Needs;
use self::sessions::Viewer;
use crate::cases::{applications, iso, now_ms, Res};
use crate::error::{ApiError, ApiErrors};
use crate::i18n::Tr;
use crate::state::Shared;
use zige_catalog::Lang;

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
    /// Whether the address was shown to be the holder's (a followed link).
    pub email_verified: bool,
    /// The language mail is written in.
    pub mail_language: email::MailLanguage,
    /// Reviewers and admins: whether the daily digest of the queue is sent.
    pub digest: bool,
}

/// The answer to a registration, the same whether or not the address
/// already had an account: a message is on its way to it either way.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Registration {
    /// Where the message went.
    pub email: String,
    /// What to do next, in words, in both languages.
    pub next: zige_catalog::Bilingual,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        UserView {
            id: user.id,
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role,
            created_at: iso(user.created_at),
            disabled: user.disabled,
            email_verified: user.email_verified_at.is_some(),
            mail_language: email::MailLanguage::of(user),
            digest: user.digest,
        }
    }
}

/// Self-registration: always an applicant. Every invalid field is named.
/// A valid registration answers alike whether or not the address had an
/// account: a new account gets a verification link; an existing one's
/// owner is told that somebody tried. The password is hashed either way,
/// so the time taken tells nothing either.
pub async fn register(state: &Shared, account: &NewAccount) -> Res<Registration> {
    let store = state.store()?;
    let mut errors = Vec::new();
    let email = Email::parse(&account.email)
        .map_err(|e| errors.push(ApiError::from_input(e)))
        .ok();
    if let Some(email) = &email {
        if let Err(e) = Password::parse(&account.password, email) {
            errors.push(ApiError::from_input(e));
        }
    }
    let given = account
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty());
    let name = match (given, &email) {
        (Some(name), _) => name.to_string(),
        (None, Some(email)) => email.as_str().split('@').next().unwrap_or("").to_string(),
        (None, None) => String::new(),
    };
    if let Err(e) = zige_cases::text::check_name("name", &name, zige_cases::text::MAX_NAME) {
        errors.push(ApiError::from_input(e));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(ApiErrors(errors));
    };
    let hash = passwords::hash_password(account.password.clone()).await?;
    let (token, token_hash) = links::new_link();
    store
        .register_applicant(
            email.as_str(),
            &name,
            &hash,
            &links::mailed(&token, &token_hash),
            now_ms(),
        )
        .await
        .map_err(ApiError::from)?;
    Ok(Registration {
        email: email.as_str().to_string(),
        next: zige_catalog::Bilingual::new(
            Tr { lang: Lang::Zh }.msg("mail-then-register"),
            Tr { lang: Lang::En }.msg("mail-then-register"),
        ),
    })
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

/// Signs in, throttled per account and address and per address (the
/// policy is described in `auth`): the password, then the second factor
/// when the account has one (or must have one).
pub async fn login(state: &Shared, credentials: &Credentials, address: &str) -> Res<SessionView> {
    let user = check_password(state, credentials, address).await?;
    match second_factor::needs(state, &user).await? {
        Needs::Nothing => forget_failures(state, &user.email, address).await?,
        Needs::Enrolment => return Err(second_factor::enrolment_required().into()),
        Needs::Code => match credentials
            .code
            .as_deref()
            .filter(|code| !code.trim().is_empty())
        {
            None => return Err(second_factor::code_required().into()),
            Some(code) => second_factor::check_code(state, &user, code, address).await?,
        },
    }
    start_session(state, &user).await
}

/// The account whose password this is, throttled per account and per
/// address; nothing tells whether the address has an account.
pub async fn check_password(state: &Shared, credentials: &Credentials, address: &str) -> Res<User> {
    let store = state.store()?;
    // The form the address was registered under (NFKC, lower case).
    let email = Email::normalise(&credentials.email).map_err(ApiError::from_input)?;
    let now = now_ms();
    let forget = now - throttle::FORGET_MS;
    let (account_key, address_key) = throttle::throttle_keys(&email, address);
    let keys = [
        (address_key.as_str(), throttle::FREE_FAILURES_ADDRESS),
        (account_key.as_str(), throttle::FREE_FAILURES_ACCOUNT),
    ];
    if let Err(until) = store
        .reserve_login_attempt(&keys, now, forget, throttle::MAX_DELAY_MS)
        .await
        .map_err(ApiError::from)?
    {
        return Err(throttle::too_many(until, now).into());
    }
    let found = store.user_by_email(&email).await.map_err(ApiError::from)?;
    let known_hash = found.as_ref().map(|(_, hash)| hash.clone());
    let matches = match passwords::verify_password(credentials.password.clone(), known_hash).await {
        Ok(matches) => matches,
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
        Some((user, _)) if matches && !user.disabled => user,
        _ => {
            return Err(ApiError::localized(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "api-bad-credentials",
                &[],
            )
            .with_field("password")
            .into());
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
pub async fn forget_failures(state: &Shared, email: &str, address: &str) -> Res<()> {
    let now = now_ms();
    let (account_key, _) = throttle::throttle_keys(email, address);
    state
        .store()?
        .release_login_attempt(&[], &[account_key.as_str()], now, now - throttle::FORGET_MS)
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

/// A new full session for an account that has passed every check.
pub async fn start_session(state: &Shared, user: &User) -> Res<SessionView> {
    let store = state.store()?;
    let now = now_ms();
    let token = sessions::token();
    let csrf = sessions::token();
    let expires = now + sessions::SESSION_MS;
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

/// Ends the viewer's session: its token no longer works.
pub async fn logout(state: &Shared, viewer: &Viewer) -> Res<()> {
    state
        .store()?
        .delete_session(&viewer.token_hash)
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

/// Everything stored about the viewer, as one JSON document.
pub async fn export_mine(state: &Shared, viewer: &Viewer) -> Res<Value> {
    let store = state.store()?;
    let mut exported = Vec::new();
    for application in store
        .applications_of(viewer.user.id)
        .await
        .map_err(ApiError::from)?
    {
        let view = applications::view(state, viewer, &application).await?;
        let signed = store
            .decision_of(application.id)
            .await
            .map_err(ApiError::from)?
            .and_then(|decision| serde_json::from_str::<Value>(&decision.signed).ok());
        exported.push(json!({"application": view, "signed_decision": signed}));
    }
    Ok(json!({
        "format": "zige.personal-data/1",
        "exported_at": iso(now_ms()),
        "account": UserView::from(&viewer.user),
        "applications": exported,
    }))
}
