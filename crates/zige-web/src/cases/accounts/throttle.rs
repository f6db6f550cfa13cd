//! Sign-in throttling: the limits on failed attempts per account and
//! address and per address, and the client's address they are counted
//! under (behind trusted proxies too).

use axum::http::{HeaderMap, StatusCode};

use crate::error::ApiError;

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

/// 429 with how long to wait (also the `Retry-After` header).
pub(crate) fn too_many(until: i64, now: i64) -> ApiError {
    let secs = ((until - now).max(0) as u64).div_ceil(1000).max(1);
    ApiError::localized(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        "api-too-many-attempts",
        &[("seconds", secs.to_string())],
    )
    .with_retry_after(secs)
}

/// A trusted proxy: `CIDR` (`10.0.0.0/8`, `::1/128`) or a single address.
pub fn parse_proxy(text: &str) -> Option<ipnet::IpNet> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>().ok().or_else(|| {
        text.parse::<std::net::IpAddr>()
            .ok()
            .map(ipnet::IpNet::from)
    })
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
        trusted.iter().any(|network| network.contains(&ip))
    };
    if !is_trusted(&peer) {
        return peer.to_string();
    }
    let hops: Vec<String> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|hop| hop.trim().to_string())
        .filter(|hop| !hop.is_empty())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert(
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
            client_address(&headers, peer("198.51.100.1"), &trusted),
            "198.51.100.1"
        );
        assert_eq!(client_address(&headers, peer("10.0.0.1"), &[]), "10.0.0.1");
        // From a trusted proxy: the right-most hop that is not a proxy.
        assert_eq!(
            client_address(&headers, peer("10.0.0.1"), &trusted),
            "203.0.113.7"
        );
        assert_eq!(
            client_address(&HeaderMap::new(), peer("::1"), &trusted),
            "::1"
        );
        assert_eq!(client_address(&headers, None, &trusted), "unknown");
        assert!(parse_proxy("10.0.0.0/33").is_none() && parse_proxy("proxy").is_none());
    }
}
