//! The outbox on SQLite and PostgreSQL: a message commits with the change
//! that causes it (or not at all), concurrent senders never claim one
//! message twice, a claim lapses after a crash, and a message that keeps
//! failing is marked failed, never dropped.

use serde_json::json;
use zige_cases::Role;
use zige_store::{mail_kind, MailFilter, MailStatus, NewMail, Store};

use crate::helpers::{person, postgres, sqlite, temp_dir};

async fn queue(store: &Store, user: i64, n: usize) {
    for i in 0..n {
        store
            .queue_mail(&NewMail::new(
                mail_kind::DIGEST,
                user,
                json!({ "n": i }),
                1_000,
            ))
            .await
            .unwrap();
    }
}

async fn every_message_is_claimed_once(store: &Store) {
    let user = person(store, "claims", "Claims", Role::Reviewer).await;
    queue(store, user.id, 40).await;
    // Four senders at once, each claiming small batches until none is left.
    let claims = (0..4).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = store.claim_mail(2_000, 30_000, 3).await.unwrap();
                if batch.is_empty() {
                    break mine;
                }
                mine.extend(batch.into_iter().map(|m| m.id));
            }
        })
    });
    let mut all = Vec::new();
    for claim in claims {
        all.extend(claim.await.unwrap());
    }
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "a message was claimed twice");
    assert_eq!(all.len(), 40);

    // A claim lapses (its sender died): the message is claimed again.
    let again = store.claim_mail(2_000 + 30_000, 30_000, 100).await.unwrap();
    assert_eq!(again.len(), 40);
    assert!(again.iter().all(|m| m.attempts == 2));

    // Failing: retried later, then given up and shown as failed.
    let first = again[0].id;
    store
        .mail_attempt_failed(first, "451 try later", Some(99_000))
        .await
        .unwrap();
    store
        .mail_attempt_failed(again[1].id, "550 no such user", None)
        .await
        .unwrap();
    store
        .mail_sent(again[2].id, &json!({}), 40_000)
        .await
        .unwrap();
    let failed = store
        .mail_log(&MailFilter {
            status: Some(MailStatus::Failed),
            limit: 10,
            offset: 0,
        })
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].last_error, "550 no such user");
    let counts = store.mail_counts().await.unwrap();
    assert_eq!(
        counts,
        [
            (MailStatus::Queued, 38),
            (MailStatus::Sent, 1),
            (MailStatus::Failed, 1)
        ]
    );
    let due = store.claim_mail(99_000, 30_000, 100).await.unwrap();
    assert!(due.iter().any(|m| m.id == first), "retried when due");
}

#[tokio::test]
async fn concurrent_senders_claim_each_message_once_on_sqlite() {
    let dir = temp_dir("outbox-sqlite");
    let store = sqlite(&dir).await;
    every_message_is_claimed_once(&store).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_senders_claim_each_message_once_on_postgres() {
    let Some(db) = postgres("outbox").await else {
        return;
    };
    every_message_is_claimed_once(&db.store).await;
    db.drop_database().await;
}

#[tokio::test]
async fn a_message_commits_with_its_change_on_sqlite() {
    let dir = temp_dir("outbox-atomic");
    let store = sqlite(&dir).await;
    a_message_commits_with_its_change(&store).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_message_commits_with_its_change_on_postgres() {
    let Some(db) = postgres("outbox_atomic").await else {
        return;
    };
    a_message_commits_with_its_change(&db.store).await;
    db.drop_database().await;
}

async fn a_message_commits_with_its_change(store: &Store) {
    let store = store.clone();
    let owner = person(&store, "owner", "Owner", Role::Applicant).await;
    // Registering a taken address queues a note to its owner, and nothing else.
    let token = zige_store::TokenMail {
        token_hash: "h1",
        params: json!({"token": "t"}),
    };
    let again = store
        .register_applicant(&owner.email, "X", "h", &token, 5_000)
        .await
        .unwrap();
    assert!(matches!(again, zige_store::Registered::Existing));
    let log = store
        .mail_log(&MailFilter {
            status: None,
            limit: 10,
            offset: 0,
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].kind, mail_kind::ACCOUNT_EXISTS);
    // Once-keyed messages (digests, reminders) are queued once.
    for _ in 0..2 {
        store
            .queue_mail(
                &NewMail::new(mail_kind::DIGEST, owner.id, json!({}), 6_000).once("day-1".into()),
            )
            .await
            .unwrap();
    }
    let log = store
        .mail_log(&MailFilter {
            status: None,
            limit: 10,
            offset: 0,
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    // A new account's verification link is queued with it.
    let new = zige_store::TokenMail {
        token_hash: "h2",
        params: json!({"token": "t2"}),
    };
    let registered = store
        .register_applicant("new@example.org", "New", "h", &new, 7_000)
        .await
        .unwrap();
    assert!(matches!(registered, zige_store::Registered::New(_)));
    let queued = store
        .mail_log(&MailFilter {
            status: Some(MailStatus::Queued),
            limit: 10,
            offset: 0,
        })
        .await
        .unwrap();
    assert_eq!(queued.len(), 3, "{queued:?}");
    assert_eq!(queued[0].kind, mail_kind::VERIFY_ADDRESS);
}
