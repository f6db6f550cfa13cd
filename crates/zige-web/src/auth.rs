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

// ---------- sign-in throttling ----------
//
// The policy: every sign-in attempt is counted, before its password is
// checked, under two keys in one transaction (zige_store's
// `reserve_login_attempt`), so concurrent guesses cannot all slip under a
// limit:
// - the account *and* the address it is tried from: 5 failures are free,
//   then each further attempt must wait 2 s, 4 s, 8 s, … (2^k s after the
//   4 + k-th failure), at most 15 minutes. The owner signing in from
//   another address is not held up by an attacker's failures.
// - the address alone, whatever the account: 30 failures are free, then
//   the same doubling delay. Other people behind that address wait that
//   delay at most, never a fixed lock-out.
// A blocked attempt is refused with 429 and `Retry-After` (seconds) without
// being evaluated or counted. A successful sign-in forgets its account and
// address key and gives its attempt back to the address key. A key with no
// failure for an hour (and not blocked) starts again from zero.

/// Failures allowed freely per account and address, and per address.
pub const FREE_FAILURES_ACCOUNT: i64 = 5;
pub const FREE_FAILURES_ADDRESS: i64 = 30;
/// The longest wait between attempts once the free failures are spent.
pub const MAX_DELAY_MS: i64 = 15 * 60 * 1000;
/// Failures are forgotten after this long without one.
pub const FORGET_MS: i64 = 60 * 60 * 1000;

/// The throttling keys of an attempt on `email` from `address`: hashed, so
/// any text fits and no address or e-mail is kept in clear.
pub fn throttle_keys(email: &str, address: &str) -> (String, String) {
    (
        format!(
            "a:{}",
            zige_cases::sha256_hex(format!("{email}\n{address}").as_bytes())
        ),
        format!("n:{}", zige_cases::sha256_hex(address.as_bytes())),
    )
}

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

// ---------- password hashing under a bounded pool ----------

/// Argon2id needs 19 MiB and a core's worth of time per hash. Hashes run
/// on a fixed set of threads, one per core, made once: memory stays
/// bounded by their number (each thread's allocator keeps at most its own
/// last 19 MiB, where fresh blocking threads would each keep theirs). A
/// few more requests may wait for a thread, briefly; the rest are told to
/// come back (503 with `Retry-After`), however many sign in at once.
struct HashPool {
    /// Places to run or to wait in.
    places: tokio::sync::Semaphore,
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>>,
}

/// How long a request may wait for its hash.
const HASH_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// What a refused request is told to wait, in seconds.
pub const HASH_RETRY_AFTER_S: u64 = 1;

fn hash_pool() -> &'static HashPool {
    static POOL: std::sync::OnceLock<HashPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (tx, rx) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..cores {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("zige-hash-{i}"))
                .spawn(move || loop {
                    let job = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => break,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password-hashing thread");
            }
        }
        HashPool {
            places: tokio::sync::Semaphore::new(cores * 8),
            jobs: std::sync::Mutex::new(tx),
        }
    })
}

/// 503 for a sign-in or registration that found no place to hash.
pub fn busy() -> ApiError {
    let mut e = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        format!("too many sign-ins at once: try again in {HASH_RETRY_AFTER_S} second(s)"),
        format!("同时登录的人太多，请 {HASH_RETRY_AFTER_S} 秒后重试"),
    );
    e.retry_after = Some(HASH_RETRY_AFTER_S);
    e
}

/// Runs `f` on a thread of the bounded pool, or refuses with 503.
async fn on_hash_pool<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let pool = hash_pool();
    let place = pool.places.try_acquire().map_err(|_| busy())?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    // The place travels with the work: a client that goes away does not
    // free it before the hash is done; a job nobody waits for is skipped.
    let job = Box::new(move || {
        if !tx.is_closed() {
            let _ = tx.send(f());
        }
        drop(place);
    });
    pool.jobs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .send(job)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    match tokio::time::timeout(HASH_WAIT, rx).await {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(ApiError::internal(e.to_string())),
        Err(_) => Err(busy()),
    }
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes), on the bounded pool.
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    on_hash_pool(move || {
        let salt = SaltString::encode_b64(&random::<16>()).map_err(|e| e.to_string())?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await?
    .map_err(ApiError::internal)
}

/// Checks a password; an unknown account is checked against a dummy hash
/// so that timing does not tell which addresses have accounts. Err only
/// when the pool is full (503).
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, ApiError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let known = hash.is_some();
    let hash = match hash {
        Some(h) => h,
        None => match DUMMY.get() {
            Some(d) => d.clone(),
            None => {
                let d = hash_password("not a password of anyone".into()).await?;
                DUMMY.get_or_init(|| d).clone()
            }
        },
    };
    on_hash_pool(move || {
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

/// A trusted proxy: `CIDR` (`10.0.0.0/8`, `::1/128`) or a single address.
pub fn parse_proxy(text: &str) -> Option<ipnet::IpNet> {
    let t = text.trim();
    t.parse::<ipnet::IpNet>()
        .ok()
        .or_else(|| t.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from))
}

/// The client's address for throttling. `X-Forwarded-For` counts only when
/// the TCP peer is a trusted proxy: then the hops are read from the right
/// (the peer, then what each trusted proxy says it saw) and the first one
/// that is not a trusted proxy is the client. Anyone else's header is
/// ignored: their socket's address is theirs.
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<std::net::SocketAddr>,
    trusted: &[ipnet::IpNet],
) -> String {
    let Some(peer) = peer.map(|p| p.ip()) else {
        return "unknown".into();
    };
    let is_trusted = |ip: &std::net::IpAddr| {
        let ip = match ip {
            std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(*ip, std::net::IpAddr::V4),
            v4 => *v4,
        };
        trusted.iter().any(|n| n.contains(&ip))
    };
    if !is_trusted(&peer) {
        return peer.to_string();
    }
    let hops: Vec<String> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .collect();
    let mut client = peer.to_string();
    for hop in hops.iter().rev() {
        match hop.parse::<std::net::IpAddr>() {
            Ok(ip) if is_trusted(&ip) => client = ip.to_string(),
            Ok(ip) => return ip.to_string(),
            // Not an address: a trusted proxy passed on what it was told.
            Err(_) => return hop.chars().take(100).collect(),
        }
    }
    client
}

// ---------- CSRF before a session exists (sign-in, registration) ----------

/// A random value in a SameSite=Strict cookie, repeated in the form's
/// hidden `csrf` field (double submit): another site can neither read the
/// cookie nor have the browser send it, so it cannot sign a victim into
/// the attacker's account (login CSRF).
pub const PRE_COOKIE: &str = "zige_csrf";

fn well_formed(t: &str) -> bool {
    t.len() == 43
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The pre-session token of a request, and whether it is new (to be set).
pub fn pre_session_token(headers: &HeaderMap) -> (String, bool) {
    match cookie_value(headers, PRE_COOKIE).filter(|t| well_formed(t)) {
        Some(t) => (t.to_string(), false),
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
        (Some(c), Some(g)) if well_formed(c) && constant_eq(c.as_bytes(), g.as_bytes()) => Ok(()),
        _ => {
            let mut e = ApiError::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "missing or wrong CSRF token: reload the page and try again",
                "表单已过期或缺少安全令牌，请刷新页面后重试",
            );
            e.field = Some("csrf".into());
            Err(e)
        }
    }
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
        assert!(verify_password("correct horse".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!verify_password("wrong horse!".into(), Some(h))
            .await
            .unwrap());
        assert!(!verify_password("correct horse".into(), None).await.unwrap());
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "1.1.1.1, 203.0.113.7, 10.0.0.2".parse().unwrap(),
        );
        let peer = |ip: &str| Some(std::net::SocketAddr::new(ip.parse().unwrap(), 5555));
        let trusted = [
            parse_proxy("10.0.0.0/8").unwrap(),
            parse_proxy("::1").unwrap(),
        ];
        // An untrusted peer's header is ignored.
        assert_eq!(
            client_address(&h, peer("198.51.100.1"), &trusted),
            "198.51.100.1"
        );
        assert_eq!(client_address(&h, peer("10.0.0.1"), &[]), "10.0.0.1");
        // From a trusted proxy: the right-most hop that is not a proxy.
        assert_eq!(
            client_address(&h, peer("10.0.0.1"), &trusted),
            "203.0.113.7"
        );
        assert_eq!(
            client_address(&HeaderMap::new(), peer("::1"), &trusted),
            "::1"
        );
        assert_eq!(client_address(&h, None, &trusted), "unknown");
        assert!(parse_proxy("10.0.0.0/33").is_none() && parse_proxy("proxy").is_none());
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
