//! The second factor of signing in, as the pages and the API both use it:
//! checking a typed code (TOTP or recovery code) against the sign-in
//! limits, enrolling (a fresh secret, confirmed with a code, then ten
//! recovery codes shown once), removal by the owner and reset by an admin.
//! Reviewers and admins must have one; applicants may.

use axum::http::StatusCode;
use serde::Serialize;
use zige_cases::second_factor::{self as sf, Typed};
use zige_cases::Role;
use zige_store::{SecondFactor, User};

use crate::auth::{self, now_ms, Viewer};
use crate::cases::Res;
use crate::error::ApiError;
use crate::state::Shared;

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

pub async fn needs(s: &Shared, user: &User) -> Res<Needs> {
    let f = s
        .store()?
        .second_factor(user.id)
        .await
        .map_err(ApiError::from)?;
    Ok(match f {
        Some(f) if f.enabled => Needs::Code,
        _ if required(user.role) => Needs::Enrolment,
        _ => Needs::Nothing,
    })
}

pub fn code_required() -> ApiError {
    let mut e = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "second_factor_required",
        "enter the 6-digit code from your authenticator app (or a recovery code) in `code`",
        "请在 code 中填写身份验证器应用中的 6 位验证码（或一个恢复码）",
    );
    e.field = Some("code".into());
    e.allowed = Some("6 digits, or a recovery code such as ABCD-EFGH-JKMN-PQRS".into());
    e
}

pub fn code_wrong(typed: &str) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "second_factor_wrong",
        "the code is wrong, or was already used: enter the next code your app shows, or an unused recovery code",
        "验证码错误或已使用过：请输入应用显示的下一个验证码，或一个未用过的恢复码",
    );
    e.field = Some("code".into());
    e.value = Some(typed.chars().take(40).collect());
    e.allowed = Some("6 digits, or a recovery code such as ABCD-EFGH-JKMN-PQRS".into());
    e
}

pub fn enrolment_required() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "second_factor_enrolment_required",
        "staff accounts need a second factor: sign in with a browser once to set it up",
        "工作人员账户须设置两步验证：请先用浏览器登录一次完成设置",
    )
}

/// Checks a typed code against the account's factor. Wrong codes count
/// against the same limits as wrong passwords; a TOTP step and a
/// recovery code each work once.
pub async fn check_code(s: &Shared, user: &User, typed: &str, address: &str) -> Res<()> {
    let store = s.store()?;
    let now = now_ms();
    let forget = now - auth::FORGET_MS;
    let (account_key, address_key) = auth::throttle_keys(&user.email, address);
    let keys = [
        (address_key.as_str(), auth::FREE_FAILURES_ADDRESS),
        (account_key.as_str(), auth::FREE_FAILURES_ACCOUNT),
    ];
    if let Err(until) = store
        .reserve_login_attempt(&keys, now, forget, auth::MAX_DELAY_MS)
        .await
        .map_err(ApiError::from)?
    {
        return Err(crate::cases::too_many(until, now).into());
    }
    let factor = store
        .second_factor(user.id)
        .await
        .map_err(ApiError::from)?
        .filter(|f| f.enabled);
    let ok = match (factor, sf::parse(typed)) {
        (Some(f), Some(Typed::Totp(digits))) => {
            match sf::verify(&f.secret, &digits, now, f.last_step) {
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
    if !ok {
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
pub async fn begin(s: &Shared, user: &User) -> Res<Enrolment> {
    let f: SecondFactor = s
        .store()?
        .start_enrolment(user.id, &auth::random::<{ sf::SECRET_BYTES }>(), now_ms())
        .await
        .map_err(|e| match e {
            zige_store::StoreError::Conflict => ApiError::conflict(
                "a second factor is already set up for this account",
                "此账户已设置两步验证",
            ),
            e => ApiError::from(e),
        })?;
    Ok(Enrolment {
        uri: sf::otpauth_uri(&user.email, &f.secret),
        grouped: sf::grouped(&f.secret),
        secret: f.secret,
    })
}

/// Ten fresh recovery codes and their hashes.
pub fn recovery_codes() -> (Vec<String>, Vec<String>) {
    let codes: Vec<String> = (0..sf::RECOVERY_CODES)
        .map(|_| sf::recovery_code(&auth::random::<{ sf::RECOVERY_BYTES }>()))
        .collect();
    let hashes = codes.iter().filter_map(|c| sf::recovery_hash(c)).collect();
    (codes, hashes)
}

/// Confirms the enrolment under way with a code from the app; answers the
/// recovery codes, to show once.
pub async fn confirm(s: &Shared, user: &User, typed: &str) -> Res<Vec<String>> {
    let store = s.store()?;
    let now = now_ms();
    let f = store
        .second_factor(user.id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| {
            ApiError::conflict(
                "no set-up is under way: start again",
                "没有正在进行的设置，请重新开始",
            )
        })?;
    if f.enabled {
        return Err(ApiError::conflict(
            "a second factor is already set up for this account",
            "此账户已设置两步验证",
        )
        .into());
    }
    let step = sf::totp_digits(typed)
        .and_then(|d| sf::verify(&f.secret, &d, now, f.last_step))
        .ok_or_else(|| {
            let mut e = code_wrong(typed);
            e.status = 400;
            e.allowed = Some("the 6 digits your authenticator app shows now".into());
            e
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
pub async fn remove(s: &Shared, v: &Viewer, password: &str, code: &str, address: &str) -> Res<()> {
    if required(v.user.role) {
        return Err(ApiError::conflict(
            "staff accounts must keep a second factor; an admin can reset a lost one",
            "工作人员账户必须保留两步验证；丢失时请管理员重置",
        )
        .into());
    }
    let store = s.store()?;
    if !code.trim().is_empty() {
        check_code(s, &v.user, code, address).await?;
    } else {
        let hash = store
            .user_by_email(&v.user.email)
            .await
            .map_err(ApiError::from)?
            .map(|(_, h)| h);
        if !auth::verify_password(password.to_string(), hash).await? {
            let mut e = ApiError::new(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "the password is wrong",
                "密码错误",
            );
            e.field = Some("password".into());
            return Err(e.into());
        }
    }
    store
        .remove_second_factor(v.user.id, v.user.id, false, now_ms())
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

/// An admin resets someone's lost factor: it is removed, the account's
/// sessions end, and it enrols again at its next sign-in.
pub async fn reset(s: &Shared, v: &Viewer, id: i64) -> Res<()> {
    v.require(v.is(Role::Admin))?;
    s.store()?
        .remove_second_factor(id, v.user.id, true, now_ms())
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

pub async fn status(s: &Shared, user: &User) -> Res<Status> {
    let f = s
        .store()?
        .second_factor(user.id)
        .await
        .map_err(ApiError::from)?;
    Ok(Status {
        enabled: f.as_ref().is_some_and(|f| f.enabled),
        required: required(user.role),
        recovery_left: f.filter(|f| f.enabled).map_or(0, |f| f.recovery_left),
    })
}
