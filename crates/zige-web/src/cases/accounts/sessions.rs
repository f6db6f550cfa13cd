//! Sessions: a random token in an HttpOnly cookie or a bearer header
//! (only its SHA-256 is stored), who is asking ([`Viewer`], an
//! extractor), CSRF tokens for cookie sessions and the double-submit
//! token before a session exists.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use base64::Engine;
use zige_cases::Role;
use zige_store::{Session, User};

use crate::cases::{now_ms, random};
use crate::error::ApiError;
use crate::state::Shared;

pub const COOKIE: &str = "zige_session";
/// Sessions last twelve hours.
pub const SESSION_MS: i64 = 12 * 3600 * 1000;

/// A new random token, URL-safe.
pub fn token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random::<32>())
}

/// How the request was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Cookie,
    Bearer,
}

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub csrf: String,
    pub via: Via,
    pub token_hash: String,
}

impl Viewer {
    /// Refuses with 403 unless `allowed`.
    pub fn require(&self, allowed: bool) -> Result<(), ApiError> {
        if allowed {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// Whether the account has exactly this role.
    pub fn is(&self, role: Role) -> bool {
        self.user.role == role
    }

    /// A cookie session's unsafe request must carry the CSRF token
    /// (`csrf` form field or `X-CSRF-Token` header); bearer requests cannot
    /// be forged by another site and need none.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), ApiError> {
        if self.via == Via::Bearer
            || given.is_some_and(|token| constant_eq(token.as_bytes(), self.csrf.as_bytes()))
        {
            Ok(())
        } else {
            Err(ApiError::localized(
                StatusCode::FORBIDDEN,
                "csrf",
                "api-csrf",
                &[],
            ))
        }
    }
}

/// Equality that takes as long whatever the first difference.
fn constant_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .fold(0u8, |differences, (x, y)| differences | (x ^ y))
            == 0
}

/// The value of the cookie `name` a request carries.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then_some(value)
        })
}

/// The session token of a request: the bearer header first, then the cookie.
fn token_of(headers: &HeaderMap) -> Option<(String, Via)> {
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
    {
        return value
            .strip_prefix("Bearer ")
            .map(|token| (token.trim().to_string(), Via::Bearer));
    }
    cookie_value(headers, COOKIE).map(|token| (token.to_string(), Via::Cookie))
}

/// The viewer of a request, if signed in.
pub async fn viewer(state: &Shared, headers: &HeaderMap) -> Result<Option<Viewer>, ApiError> {
    let Some((token, via)) = token_of(headers) else {
        return Ok(None);
    };
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    let store = state.store()?;
    let token_hash = zige_cases::sha256_hex(token.as_bytes());
    let found: Option<Session> = store
        .session(&token_hash, now_ms())
        .await
        .map_err(ApiError::from)?;
    Ok(found.map(|session| Viewer {
        user: session.user,
        csrf: session.csrf,
        via,
        token_hash,
    }))
}

/// Extracting a `Viewer` requires a session (401 otherwise) and, for
/// cookie sessions on unsafe methods, the `X-CSRF-Token` header.
impl FromRequestParts<Shared> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Shared,
    ) -> Result<Self, Self::Rejection> {
        let signed_in = viewer(state, &parts.headers)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            signed_in.check_csrf(
                parts
                    .headers
                    .get("x-csrf-token")
                    .and_then(|value| value.to_str().ok()),
            )?;
        }
        Ok(signed_in)
    }
}

/// Someone who may be signed in (pages decide what to show).
pub struct MaybeViewer(pub Option<Viewer>);

impl FromRequestParts<Shared> for MaybeViewer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Shared,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeViewer(viewer(state, &parts.headers).await?))
    }
}

// ---------- CSRF before a session exists (sign-in, registration) ----------

/// A random value in a SameSite=Strict cookie, repeated in the form's
/// hidden `csrf` field (double submit): another site can neither read the
/// cookie nor have the browser send it, so it cannot sign a victim into
/// the attacker's account (login CSRF).
pub const PRE_COOKIE: &str = "zige_csrf";

fn well_formed(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// The pre-session token of a request, and whether it is new (to be set).
pub fn pre_session_token(headers: &HeaderMap) -> (String, bool) {
    match cookie_value(headers, PRE_COOKIE).filter(|token| well_formed(token)) {
        Some(token) => (token.to_string(), false),
        None => (token(), true),
    }
}

/// The Set-Cookie value carrying a pre-session token.
pub fn pre_session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{PRE_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

/// The posted `csrf` field must equal the pre-session cookie.
pub fn check_pre_session(headers: &HeaderMap, given: Option<&str>) -> Result<(), ApiError> {
    match (cookie_value(headers, PRE_COOKIE), given) {
        (Some(cookie), Some(given))
            if well_formed(cookie) && constant_eq(cookie.as_bytes(), given.as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(
            ApiError::localized(StatusCode::FORBIDDEN, "csrf", "api-csrf", &[]).with_field("csrf"),
        ),
    }
}

/// The Set-Cookie value of a new session (or of its end, with `None`).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!(
            "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            SESSION_MS / 1000
        ),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// `response` with the session cookie set to `token` (or ended, with
/// `None`), Secure when the site is served over HTTPS.
pub fn with_session_cookie(
    state: &Shared,
    mut response: Response,
    token: Option<&str>,
) -> Response {
    let secure = state
        .cases
        .as_ref()
        .is_some_and(|cases| cases.secure_cookies);
    if let Ok(value) = HeaderValue::from_str(&session_cookie(token, secure)) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Sends the pre-session CSRF cookie along with a sign-in or
/// registration form when the browser does not have one yet.
pub fn with_pre_session_cookie(
    state: &Shared,
    mut response: Response,
    token: &str,
    new: bool,
) -> Response {
    let secure = state
        .cases
        .as_ref()
        .is_some_and(|cases| cases.secure_cookies);
    if new {
        if let Ok(value) = HeaderValue::from_str(&pre_session_cookie(token, secure)) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_off_localhost() {
        let cookie = session_cookie(Some("abc"), true);
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.ends_with("; Secure"),
            "{cookie}"
        );
        assert!(!session_cookie(Some("abc"), false).contains("Secure"));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "zige_lang=en; zige_session=tok".parse().unwrap(),
        );
        assert_eq!(cookie_value(&headers, COOKIE), Some("tok"));
        assert_eq!(token_of(&headers), Some(("tok".into(), Via::Cookie)));
        headers.insert(header::AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(token_of(&headers), Some(("xyz".into(), Via::Bearer)));
    }
}
