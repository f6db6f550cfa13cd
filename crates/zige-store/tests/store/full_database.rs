//! A database that fills up (SQLite's `max_page_count` stands in for a
//! full disk, no root needed): writes are refused, never lost once
//! acknowledged.

use std::collections::BTreeSet;
use std::path::Path;

use zige_cases::Role;
use zige_store::Store;

use crate::helpers::{sqlite, temp_dir, NOW};
/// What the database answered to each write.
#[derive(Default)]
struct Writes {
    /// The emails of accounts whose creation succeeded.
    acknowledged: Vec<String>,
    /// The emails of accounts whose creation was refused.
    refused: Vec<String>,
}

/// A name long enough that a few accounts fill a page.
fn long_name() -> String {
    "x".repeat(2000)
}

/// Fill the database until writes fail; every failure is an error (never
/// an Ok that stored nothing), the write probe fails too; then lift the
/// cap: writes succeed and are really there, and after closing and
/// reopening every acknowledged write is present and none of the refused.
#[tokio::test]
async fn a_full_database_refuses_writes_and_loses_none_it_acknowledged() {
    let dir = temp_dir("full");
    let store = sqlite(&dir).await;
    store.write_probe(NOW).await.unwrap();
    let pages = store.page_count_for_tests().await.unwrap();
    store
        .set_max_pages_for_tests(Some(pages as u64 + 8))
        .await
        .unwrap();
    let mut writes = Writes::default();
    writes_are_refused_once_the_database_is_full(&store, &mut writes).await;
    writes_succeed_once_space_comes_back(&store, &mut writes).await;
    store.close().await;
    every_acknowledged_write_survives_a_reopen(&dir, &writes).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Accounts are created until five in a row are refused, each refusal
/// saying the storage is full; the write probe fails, and more writes are
/// refused, never acknowledged.
async fn writes_are_refused_once_the_database_is_full(store: &Store, writes: &mut Writes) {
    let mut failures_in_a_row = 0;
    for i in 0.. {
        let email = format!("full{i}@example.org");
        match store
            .create_user(&email, &long_name(), Role::Applicant, "h", NOW, None)
            .await
        {
            Ok(u) => {
                writes.acknowledged.push(u.email);
                failures_in_a_row = 0;
            }
            Err(e) => {
                assert!(e.is_storage_full(), "a full database says so: {e}");
                writes.refused.push(email);
                failures_in_a_row += 1;
                if failures_in_a_row == 5 {
                    break;
                }
            }
        }
        assert!(i < 10_000, "the database never filled up");
    }
    assert!(!writes.acknowledged.is_empty());
    assert!(
        store.write_probe(NOW).await.is_err(),
        "the write probe (readyz) fails while the database is full"
    );
    // Still full: more writes are refused, never acknowledged.
    for i in 0..5 {
        let email = format!("still-full{i}@example.org");
        assert!(store
            .create_user(&email, &long_name(), Role::Applicant, "h", NOW, None)
            .await
            .is_err());
        writes.refused.push(email);
    }
}

/// Space comes back: the probe and writes succeed, each read back at once.
async fn writes_succeed_once_space_comes_back(store: &Store, writes: &mut Writes) {
    store.set_max_pages_for_tests(None).await.unwrap();
    store.write_probe(NOW).await.unwrap();
    for i in 0..20 {
        let u = store
            .create_user(
                &format!("after{i}@example.org"),
                &long_name(),
                Role::Applicant,
                "h",
                NOW,
                None,
            )
            .await
            .unwrap();
        // Really stored: another connection reads it back now.
        assert_eq!(store.user(u.id).await.unwrap().unwrap().email, u.email);
        writes.acknowledged.push(u.email);
    }
}

/// After reopening, every acknowledged account is there and no refused one.
async fn every_acknowledged_write_survives_a_reopen(dir: &Path, writes: &Writes) {
    let store = sqlite(dir).await;
    let emails: BTreeSet<String> = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.email)
        .collect();
    for e in &writes.acknowledged {
        assert!(
            emails.contains(e),
            "acknowledged {e} is there after reopening"
        );
    }
    for e in &writes.refused {
        assert!(!emails.contains(e), "refused {e} was not stored");
    }
    assert_eq!(emails.len(), writes.acknowledged.len());
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    store.verify_audit().await.unwrap();
    store.close().await;
}
