//! Who is asking: passwords (argon2id), sessions (a random token in an
//! HttpOnly cookie or a bearer header; only its SHA-256 is stored), CSRF
//! tokens for cookie sessions, and login throttling.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use base64::Engine;
use rand::RngCore;
use zige_cases::Role;
use zige_store::{Session, User};

use crate::error::ApiError;
use crate::state::Shared;

pub const COOKIE: &str = "zige_session";
/// Sessions last twelve hours.
pub const SESSION_MS: i64 = 12 * 3600 * 1000;
/// Failed logins allowed per account, and per address, in `WINDOW_MS`.
pub const MAX_FAILURES_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_ADDRESS: i64 = 30;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// `n` bytes from the operating system's CSPRNG.
pub fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b
}

/// A new random token, URL-safe.
pub fn token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random::<32>())
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes), off the async threads.
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&random::<16>()).map_err(|e| e.to_string())?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
    .map_err(ApiError::internal)
}

/// Checks a password; an unknown account is checked against a dummy hash
/// so that timing does not tell which addresses have accounts.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let known = hash.is_some();
    let hash = match hash {
        Some(h) => h,
        None => match DUMMY.get() {
            Some(d) => d.clone(),
            None => {
                let d = hash_password("not a password of anyone".into())
                    .await
                    .unwrap_or_default();
                DUMMY.get_or_init(|| d).clone()
            }
        },
    };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
            && known
    })
    .await
    .unwrap_or(false)
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
    pub fn require(&self, ok: bool) -> Result<(), ApiError> {
        if ok {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    pub fn is(&self, role: Role) -> bool {
        self.user.role == role
    }

    /// A cookie session's unsafe request must carry the CSRF token
    /// (`csrf` form field or `X-CSRF-Token` header); bearer requests cannot
    /// be forged by another site and need none.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), ApiError> {
        if self.via == Via::Bearer
            || given.is_some_and(|g| constant_eq(g.as_bytes(), self.csrf.as_bytes()))
        {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "missing or wrong CSRF token: reload the page and try again",
                "表单已过期或缺少安全令牌，请刷新页面后重试",
            ))
        }
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// The session token of a request: the bearer header first, then the cookie.
fn token_of(headers: &HeaderMap) -> Option<(String, Via)> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return v
            .strip_prefix("Bearer ")
            .map(|t| (t.trim().to_string(), Via::Bearer));
    }
    cookie_value(headers, COOKIE).map(|t| (t.to_string(), Via::Cookie))
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
    Ok(found.map(|s| Viewer {
        user: s.user,
        csrf: s.csrf,
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
        let v = viewer(state, &parts.headers)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            v.check_csrf(
                parts
                    .headers
                    .get("x-csrf-token")
                    .and_then(|h| h.to_str().ok()),
            )?;
        }
        Ok(v)
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

/// The client's address for throttling: the first X-Forwarded-For hop
/// when a proxy sets it, else the socket's peer.
pub fn client_address(headers: &HeaderMap, peer: Option<std::net::SocketAddr>) -> String {
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| peer.map(|p| p.ip().to_string()))
        .unwrap_or_else(|| "unknown".into())
}

/// The Set-Cookie value of a new session (or of its end, with `None`).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!(
            "{COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            SESSION_MS / 1000
        ),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse".into(), Some(h.clone())).await);
        assert!(!verify_password("wrong horse!".into(), Some(h)).await);
        assert!(!verify_password("correct horse".into(), None).await);
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_off_localhost() {
        let c = session_cookie(Some("abc"), true);
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("; Secure"),
            "{c}"
        );
        assert!(!session_cookie(Some("abc"), false).contains("Secure"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "zige_lang=en; zige_session=tok".parse().unwrap(),
        );
        assert_eq!(cookie_value(&h, COOKIE), Some("tok"));
        assert_eq!(token_of(&h), Some(("tok".into(), Via::Cookie)));
        h.insert(header::AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(token_of(&h), Some(("xyz".into(), Via::Bearer)));
    }
}
