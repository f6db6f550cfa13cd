//! Passwords: Argon2id hashes, computed on a bounded pool of threads so
//! that many sign-ins at once cannot exhaust memory.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::StatusCode;

use crate::cases::random;
use crate::error::ApiError;

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
        for number in 0..cores {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("zige-hash-{number}"))
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
    ApiError::localized(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        "api-busy",
        &[("seconds", HASH_RETRY_AFTER_S.to_string())],
    )
    .with_retry_after(HASH_RETRY_AFTER_S)
}

/// Runs `work` on a thread of the bounded pool, or refuses with 503.
async fn on_hash_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let pool = hash_pool();
    let place = pool.places.try_acquire().map_err(|_| busy())?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    // The place travels with the work: a client that goes away does not
    // free it before the hash is done; a job nobody waits for is skipped.
    let job = Box::new(move || {
        if !tx.is_closed() {
            let _ = tx.send(work());
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
            .map(|hash| hash.to_string())
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
        Some(hash) => hash,
        None => match DUMMY.get() {
            Some(dummy) => dummy.clone(),
            None => {
                let dummy = hash_password("not a password of anyone".into()).await?;
                DUMMY.get_or_init(|| dummy).clone()
            }
        },
    };
    on_hash_pool(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
            && known
    })
    .await
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
}
