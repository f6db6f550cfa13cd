//! Evidence files at the storage layer, on SQLite and on PostgreSQL: a
//! draft deleted while another applicant uploads the same file, and the
//! sweep that removes files only when no record refers to them (with the
//! limits of `limits.rs` told on the same database).

use zige_cases::MediaType;
use zige_store::{Blobs, Store};

use crate::helpers::{applicant, draft, pdf, postgres, sqlite, temp_dir, wall_clock_ms, NOW};
use crate::limits::limits_hold_under_concurrent_requests;

/// A deletes a draft holding file X while B uploads the same X: every
/// upload B was told succeeded can be read back, however the two
/// interleave, and a sweep afterwards keeps B's file.
pub async fn deleting_a_draft_races_an_upload_of_its_file(store: &Store, blobs: &Blobs) {
    let a = applicant(store, "race-a").await;
    let b = applicant(store, "race-b").await;
    let mut b_ok = Vec::new();
    for round in 0..20 {
        let x = pdf(1000 + round);
        let a_draft = draft(store, a).await;
        store
            .store_evidence(blobs, x.clone(), MediaType::Pdf, "x.pdf", a_draft, a, NOW)
            .await
            .unwrap();
        let b_draft = draft(store, b).await;
        let del = {
            let (store, blobs) = (store.clone(), blobs.clone());
            tokio::spawn(async move {
                store.delete_draft(a_draft, a, NOW).await.unwrap();
                // A sweep that considers every file old races too.
                store.sweep_blobs(&blobs, -1_000_000, NOW).await.unwrap();
            })
        };
        let up = {
            let (store, blobs, x) = (store.clone(), blobs.clone(), x.clone());
            tokio::spawn(async move {
                store
                    .store_evidence(&blobs, x, MediaType::Pdf, "x.pdf", b_draft, b, NOW)
                    .await
            })
        };
        del.await.unwrap();
        if let Ok(e) = up.await.unwrap() {
            b_ok.push((e.sha256, x));
        }
    }
    assert_eq!(b_ok.len(), 20, "every upload of B was acknowledged");
    for (sha, x) in &b_ok {
        assert_eq!(&blobs.get(sha).await.unwrap(), x, "B's file is there");
    }
}

/// The sweep removes files no record refers to once older than the grace
/// period, and keeps referenced or young ones.
pub async fn the_sweep_removes_only_old_orphans(store: &Store, blobs: &Blobs) {
    let who = applicant(store, "sweeper").await;
    let d = draft(store, who).await;
    let kept = store
        .store_evidence(blobs, pdf(1), MediaType::Pdf, "kept.pdf", d, who, NOW)
        .await
        .unwrap();
    let orphan = pdf(2);
    let orphan_sha = zige_cases::sha256_hex(&orphan);
    blobs.put(&orphan_sha, orphan).await.unwrap();
    let modified_now = wall_clock_ms();
    // Within the grace period: nothing goes.
    let r = store
        .sweep_blobs(blobs, 3_600_000, modified_now)
        .await
        .unwrap();
    assert_eq!(r.removed, 0, "{r:?}");
    assert!(blobs.exists(&orphan_sha).await.unwrap());
    // An hour later: the orphan goes, the referenced file stays.
    let r = store
        .sweep_blobs(blobs, 3_600_000, modified_now + 3_700_000)
        .await
        .unwrap();
    assert_eq!(r.removed, 1, "{r:?}");
    assert!(!blobs.exists(&orphan_sha).await.unwrap());
    assert!(blobs.exists(&kept.sha256).await.unwrap());
    // Once its draft is deleted, the file is an orphan too.
    store.delete_draft(d, who, NOW).await.unwrap();
    assert!(
        blobs.exists(&kept.sha256).await.unwrap(),
        "deletion keeps files"
    );
    store
        .sweep_blobs(blobs, 3_600_000, modified_now + 3_700_000)
        .await
        .unwrap();
    assert!(!blobs.exists(&kept.sha256).await.unwrap());
    store.verify_audit().await.unwrap();
}

#[tokio::test]
async fn sqlite_delete_race_sweep_and_limits() {
    let dir = temp_dir("race");
    let store = sqlite(&dir).await;
    let blobs = Blobs::open(&dir, None).unwrap();
    deleting_a_draft_races_an_upload_of_its_file(&store, &blobs).await;
    the_sweep_removes_only_old_orphans(&store, &blobs).await;
    limits_hold_under_concurrent_requests(&store, &blobs).await;
    store.verify_audit().await.unwrap();
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn postgres_delete_race_sweep_and_limits() {
    let Some(database) = postgres("race").await else {
        return;
    };
    let store = &database.store;
    let dir = temp_dir("pgrace");
    let blobs = Blobs::open(&dir, None).unwrap();
    deleting_a_draft_races_an_upload_of_its_file(store, &blobs).await;
    the_sweep_removes_only_old_orphans(store, &blobs).await;
    limits_hold_under_concurrent_requests(store, &blobs).await;
    store.verify_audit().await.unwrap();
    database.drop_database().await;
    let _ = std::fs::remove_dir_all(&dir);
}
