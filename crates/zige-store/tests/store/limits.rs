//! Limits that concurrent requests cannot overshoot: evidence files per
//! application, open drafts and evidence bytes per account.

use zige_cases::{MediaType, State};
use zige_store::{Blobs, LimitKind, Limits, Store, StoreError};

use crate::helpers::{applicant, draft, pdf, NOW};

/// 40 concurrent uploads to one draft store exactly the limit; 40
/// concurrent new drafts stop at the limit; bytes per account too.
pub async fn limits_hold_under_concurrent_requests(store: &Store, blobs: &Blobs) {
    let store = store.clone().with_limits(Limits {
        evidence_per_application: 20,
        open_drafts_per_account: 7,
        storage_bytes_per_account: 40 * 1024,
    });
    let who = applicant(&store, "limits").await;
    evidence_files_per_application_hold(&store, blobs, who).await;
    open_drafts_per_account_hold(&store, who).await;
    evidence_bytes_per_account_hold(&store, blobs).await;
}

/// 40 concurrent uploads to one draft of `who` store exactly 20 files.
async fn evidence_files_per_application_hold(store: &Store, blobs: &Blobs, who: i64) {
    let d = draft(store, who).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (store, blobs) = (store.clone(), blobs.clone());
        tasks.push(tokio::spawn(async move {
            store
                .store_evidence(&blobs, pdf(100 + i), MediaType::Pdf, "f.pdf", d, who, NOW)
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Limit { what, max }) => {
                assert_eq!((what, max), (LimitKind::EvidencePerApplication, 20))
            }
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(ok, 20);
    assert_eq!(store.evidence(d).await.unwrap().len(), 20);
}

/// 40 concurrent new drafts of `who` (who has one) stop at seven.
async fn open_drafts_per_account_hold(store: &Store, who: i64) {
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .create_application(who, "beijing/3.1", "{}", (None, None), NOW)
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Limit { what, .. }) => assert_eq!(what, LimitKind::OpenDrafts),
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(ok, 6, "one draft existed, six more make seven");
    let drafts = store
        .applications_of(who)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.state == State::Draft)
        .count();
    assert_eq!(drafts, 7);
}

/// Bytes: 40 KiB per account, 8 KiB files over two drafts.
async fn evidence_bytes_per_account_hold(store: &Store, blobs: &Blobs) {
    let other = applicant(store, "bytes").await;
    let (d1, d2) = (draft(store, other).await, draft(store, other).await);
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (store, blobs) = (store.clone(), blobs.clone());
        let target = if i % 2 == 0 { d1 } else { d2 };
        let mut body = pdf(500 + i).to_vec();
        body.resize(8 * 1024, b' ');
        tasks.push(tokio::spawn(async move {
            store
                .store_evidence(
                    &blobs,
                    body.into(),
                    MediaType::Pdf,
                    "b.pdf",
                    target,
                    other,
                    NOW,
                )
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Limit { what, .. }) => {
                assert_eq!(what, LimitKind::StoragePerAccount)
            }
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(ok, 5, "five files of 8 KiB fit in 40 KiB");
}
