//! What the command line borrows from zige-web beyond serving: the clock,
//! password hashing and second-factor secrets. Gathered here so that a
//! move inside zige-web touches one file of the command line.

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    zige_web::cases::now_ms()
}

/// Today's date as YYYY-MM-DD, as the server counts it.
pub(crate) fn today() -> String {
    zige_web::state::today()
}

/// An argon2id hash of `password`, computed on the server's hashing pool.
pub(crate) async fn hash_password(password: String) -> anyhow::Result<String> {
    zige_web::cases::accounts::passwords::hash_password(password)
        .await
        .map_err(|e| anyhow::anyhow!(e.detail))
}

/// `N` bytes from the operating system's random generator.
pub(crate) fn random<const N: usize>() -> [u8; N] {
    zige_web::cases::random::<N>()
}

/// Fresh recovery codes, and their hashes to store.
pub(crate) fn recovery_codes() -> (Vec<String>, Vec<String>) {
    zige_web::cases::accounts::second_factor::recovery_codes()
}

/// An instant as RFC 3339 in UTC, as the API writes it.
pub(crate) fn iso(ms: i64) -> String {
    zige_web::cases::iso(ms)
}
