//! Concurrent guesses against the sign-in limits: at most the limit is
//! evaluated, the rest wait (429 with Retry-After). They fill the hashing
//! pool that the other tests share, so they run [`alone`].

use axum::http::{header, StatusCode};

use super::assert_wait;
use crate::fixtures::{sign_in, sign_in_app};
use crate::helpers::{alone, STAFF_PASSWORD};

#[tokio::test]
async fn concurrent_guesses_on_one_account_cannot_all_be_evaluated() {
    let _alone = alone();
    let env = sign_in_app("race-account", "http://localhost:8080", &[]).await;
    let env = std::sync::Arc::new(env);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let env = env.clone();
        // The right password is among the guesses.
        let password = if i == 20 {
            STAFF_PASSWORD
        } else {
            "wrong password"
        };
        tasks.push(tokio::spawn(async move {
            env.send(sign_in("ada@example.org", password, "198.51.100.7", None))
                .await
        }));
    }
    let mut evaluated = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            StatusCode::UNAUTHORIZED | StatusCode::CREATED => evaluated += 1,
            // The hashing pool was full: not evaluated, told to come back.
            StatusCode::SERVICE_UNAVAILABLE => assert_eq!(r.error()["code"], "busy"),
            _ => assert_wait(&r),
        }
    }
    assert!(evaluated <= 5, "{evaluated} of 40 guesses were evaluated");
}

#[tokio::test]
async fn concurrent_guesses_from_one_address_are_held_to_its_limit() {
    let _alone = alone();
    let env = std::sync::Arc::new(sign_in_app("race-address", "http://localhost:8080", &[]).await);
    let mut tasks = Vec::new();
    for i in 0..200 {
        let env = env.clone();
        tasks.push(tokio::spawn(async move {
            let email = format!("nobody{i}@example.org");
            env.send(sign_in(&email, "wrong password", "198.51.100.8", None))
                .await
        }));
    }
    let (mut evaluated, mut waited) = (0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            StatusCode::UNAUTHORIZED => evaluated += 1,
            // The hashing pool was full: not evaluated, told to come back.
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(!r.header(header::RETRY_AFTER).is_empty());
                assert_eq!(r.error()["code"], "busy");
            }
            _ => {
                assert_wait(&r);
                waited += 1
            }
        }
    }
    assert!(evaluated <= 30, "{evaluated} of 200 guesses were evaluated");
    assert!(waited >= 100, "only {waited} were told to wait");
}
