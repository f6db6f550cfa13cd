//! The second factor of signing in, as the pages and the API both use it:
//! checking a typed code (TOTP or recovery code) against the sign-in
//! limits, enrolling (a fresh secret, confirmed with a code, then ten
//! recovery codes shown once), removal by the owner and reset by an admin.
//! Reviewers and admins must have one; applicants may.

use axum::http::StatusCode;
use serde::Serialize;
use zige_cases::second_factor::{self as factor, Typed};
use zige_cases::Role;
use zige_store::{SecondFactor, User};

use super::sessions::Viewer;
use super::{passwords, throttle};
use crate::cases::{now_ms, random, Res};
use crate::error::ApiError;
use crate::state::Shared;

pub mod pages;

/// Whether this account must give a second factor at every sign-in.
pub fn required(role: Role) -> bool {
    role.reviews()
}

/// What signing in with a correct password still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Nothing: an applicant without a factor.
    Nothing,
    /// A code from the enrolled factor.
    Code,
    /// Staff without a factor: enrolment first (in the browser).
    Enrolment,
}

/// What an account with a correct password still needs to sign in.
pub async fn needs(state: &Shared, user: &User) -> Res<Needs> {
    let enrolled = state
        .store()?
        .second_factor(user.id)
        .await
        .map_err(ApiError::from)?;
    Ok(match enrolled {
        Some(enrolled) if enrolled.enabled => Needs::Code,
        _ if required(user.role) => Needs::Enrolment,
        _ => Needs::Nothing,
    })
}

/// 401: the account has a factor and no code was given.
pub fn code_required() -> ApiError {
    ApiError::localized(
        StatusCode::UNAUTHORIZED,
        "second_factor_required",
        "api-second-factor-required",
        &[],
    )
    .with_field("code")
    .with_allowed("6 digits, or a recovery code such as ABCD-EFGH-JKMN-PQRS")
}

/// 401: the code given is wrong or used up.
pub fn code_wrong(typed: &str) -> ApiError {
    ApiError::localized(
        StatusCode::UNAUTHORIZED,
        "second_factor_wrong",
        "api-second-factor-wrong",
        &[],
    )
    .with_field("code")
    .with_value(typed.chars().take(40).collect::<String>())
    .with_allowed("6 digits, or a recovery code such as ABCD-EFGH-JKMN-PQRS")
}

/// 403: staff must set a factor up (in the browser) before signing in.
pub fn enrolment_required() -> ApiError {
    ApiError::localized(
        StatusCode::FORBIDDEN,
        "second_factor_enrolment_required",
        "api-second-factor-enrolment-required",
        &[],
    )
}

/// 409: the account has a factor already.
fn already_set_up() -> ApiError {
    ApiError::localized(
        StatusCode::CONFLICT,
        "conflict",
        "api-second-factor-exists",
        &[],
    )
}

/// Checks a typed code against the account's factor. Wrong codes count
/// against the same limits as wrong passwords; a TOTP step and a
/// recovery code each work once.
pub async fn check_code(state: &Shared, user: &User, typed: &str, address: &str) -> Res<()> {
    let store = state.store()?;
    let now = now_ms();
    let forget = now - throttle::FORGET_MS;
    let (account_key, address_key) = throttle::throttle_keys(&user.email, address);
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
    let enrolled = store
        .second_factor(user.id)
        .await
        .map_err(ApiError::from)?
        .filter(|enrolled| enrolled.enabled);
    let right = match (enrolled, factor::parse(typed)) {
        (Some(enrolled), Some(Typed::Totp(digits))) => {
            match factor::verify(&enrolled.secret, &digits, now, enrolled.last_step) {
                Some(step) => store
                    .use_totp_step(user.id, step)
                    .await
                    .map_err(ApiError::from)?,
                None => false,
            }
        }
        (Some(_), Some(Typed::Recovery(hash))) => store
            .use_recovery_code(user.id, &hash, now)
            .await
            .map_err(ApiError::from)?,
        _ => false,
    };
    if !right {
        return Err(code_wrong(typed).into());
    }
    store
        .release_login_attempt(&keys[..1], &[account_key.as_str()], now, forget)
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

/// An enrolment under way: the secret to show.
pub struct Enrolment {
    pub secret: Vec<u8>,
    pub uri: String,
    pub grouped: String,
}

/// Starts (or resumes) enrolling a factor; `Conflict` when one is enabled.
pub async fn begin(state: &Shared, user: &User) -> Res<Enrolment> {
    let enrolling: SecondFactor = state
        .store()?
        .start_enrolment(user.id, &random::<{ factor::SECRET_BYTES }>(), now_ms())
        .await
        .map_err(|e| match e {
            zige_store::StoreError::Conflict => already_set_up(),
            e => ApiError::from(e),
        })?;
    Ok(Enrolment {
        uri: factor::otpauth_uri(&user.email, &enrolling.secret),
        grouped: factor::grouped(&enrolling.secret),
        secret: enrolling.secret,
    })
}

/// Ten fresh recovery codes and their hashes.
pub fn recovery_codes() -> (Vec<String>, Vec<String>) {
    let codes: Vec<String> = (0..factor::RECOVERY_CODES)
        .map(|_| factor::recovery_code(&random::<{ factor::RECOVERY_BYTES }>()))
        .collect();
    let hashes = codes
        .iter()
        .filter_map(|code| factor::recovery_hash(code))
        .collect();
    (codes, hashes)
}

/// Confirms the enrolment under way with a code from the app; answers the
/// recovery codes, to show once.
pub async fn confirm(state: &Shared, user: &User, typed: &str) -> Res<Vec<String>> {
    let store = state.store()?;
    let now = now_ms();
    let enrolling = store
        .second_factor(user.id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| {
            ApiError::localized(
                StatusCode::CONFLICT,
                "conflict",
                "api-second-factor-no-setup",
                &[],
            )
        })?;
    if enrolling.enabled {
        return Err(already_set_up().into());
    }
    let step = factor::totp_digits(typed)
        .and_then(|digits| factor::verify(&enrolling.secret, &digits, now, enrolling.last_step))
        .ok_or_else(|| {
            code_wrong(typed)
                .with_status(StatusCode::BAD_REQUEST)
                .with_allowed("the 6 digits your authenticator app shows now")
        })?;
    let (codes, hashes) = recovery_codes();
    store
        .enable_second_factor(user.id, step, &hashes, Some(user.id), now)
        .await
        .map_err(ApiError::from)?;
    Ok(codes)
}

/// The owner removes their optional factor, proving it is them with their
/// password or a code. Staff cannot: theirs is required.
pub async fn remove(
    state: &Shared,
    viewer: &Viewer,
    password: &str,
    code: &str,
    address: &str,
) -> Res<()> {
    if required(viewer.user.role) {
        return Err(ApiError::localized(
            StatusCode::CONFLICT,
            "conflict",
            "api-second-factor-staff",
            &[],
        )
        .into());
    }
    let store = state.store()?;
    if !code.trim().is_empty() {
        check_code(state, &viewer.user, code, address).await?;
    } else {
        let hash = store
            .user_by_email(&viewer.user.email)
            .await
            .map_err(ApiError::from)?
            .map(|(_, hash)| hash);
        if !passwords::verify_password(password.to_string(), hash).await? {
            return Err(ApiError::localized(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "api-wrong-password",
                &[],
            )
            .with_field("password")
            .into());
        }
    }
    store
        .remove_second_factor(viewer.user.id, viewer.user.id, false, now_ms())
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

/// An admin resets someone's lost factor: it is removed, the account's
/// sessions end, and it enrols again at its next sign-in.
pub async fn reset(state: &Shared, viewer: &Viewer, id: i64) -> Res<()> {
    viewer.require(viewer.is(Role::Admin))?;
    state
        .store()?
        .remove_second_factor(id, viewer.user.id, true, now_ms())
        .await
        .map_err(|e| match e {
            zige_store::StoreError::NotFound => {
                ApiError::not_found("user", &id.to_string(), Vec::new())
            }
            e => ApiError::from(e),
        })?;
    Ok(())
}

/// The state of an account's factor, for its owner.
#[derive(Debug, Serialize)]
pub struct Status {
    pub enabled: bool,
    pub required: bool,
    pub recovery_left: i64,
}

/// Whether the account has a factor, must have one, and how many
/// recovery codes are left.
pub async fn status(state: &Shared, user: &User) -> Res<Status> {
    let enrolled = state
        .store()?
        .second_factor(user.id)
        .await
        .map_err(ApiError::from)?;
    Ok(Status {
        enabled: enrolled.as_ref().is_some_and(|factor| factor.enabled),
        required: required(user.role),
        recovery_left: enrolled
            .filter(|factor| factor.enabled)
            .map_or(0, |factor| factor.recovery_left),
    })
}
