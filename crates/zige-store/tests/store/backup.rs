//! Backups in the story: the story's database is written out with its one
//! evidence file, restored into a fresh database (on either backend), and
//! a broken file changes nothing.

use zige_cases::Role;
use zige_store::{Blobs, Store, StoreError};

use crate::helpers::{sqlite, temp_dir, CERTIFICATE};

/// The backup holds every row and the one evidence file.
pub async fn the_backup_holds_every_row_and_file(store: &Store, blobs: &Blobs) -> Vec<u8> {
    let mut out = Vec::new();
    let summary = store.backup(blobs, &mut out).await.unwrap();
    assert!(summary.rows > 20 && summary.files == 1, "{summary:?}");
    out
}

/// Restored into the empty, migrated `target`, the backup holds the
/// revoked decision, the audit chain and the file; new rows get fresh ids;
/// a second restore is refused.
pub async fn restored_matches(target: &Store, blobs: &Blobs, backup: &[u8]) {
    let summary = target.restore(blobs, backup).await.unwrap();
    assert_eq!(summary.files, 1);
    let d = target.decisions().await.unwrap();
    assert!(d
        .iter()
        .any(|d| d.revoked_reason.as_deref() == Some("issued in error")));
    assert!(target.verify_audit().await.unwrap() >= 15);
    let templates = target.reason_templates().await.unwrap();
    assert_eq!(templates.len(), 1, "the template left in the story");
    assert_eq!(templates[0].version, 2);
    assert_eq!(
        blobs
            .get(&zige_cases::sha256_hex(CERTIFICATE))
            .await
            .unwrap()
            .as_ref(),
        CERTIFICATE
    );
    // New rows after a restore get fresh ids and continue the chain.
    let u = target
        .create_user("new@example.org", "New", Role::Applicant, "h", 1, None)
        .await
        .unwrap();
    assert!(u.id > 4);
    target.verify_audit().await.unwrap();
    // A second restore is refused: the database is no longer empty.
    assert!(matches!(
        target.restore(blobs, backup).await,
        Err(StoreError::Backup(_))
    ));
}

/// A broken file changes nothing.
pub async fn a_broken_backup_changes_nothing(backup: &[u8]) {
    let dir3 = temp_dir("sqlite-bad");
    let t3 = sqlite(&dir3).await;
    let mut bad = backup.to_vec();
    bad.extend_from_slice(b"{\"table\":\"nope\",\"row\":[]}\n");
    assert!(
        matches!(t3.restore(&Blobs::open(&dir3, None).unwrap(), bad.as_slice()).await, Err(StoreError::Backup(m)) if m.contains("unknown table"))
    );
    assert!(t3.users().await.unwrap().is_empty());
}
