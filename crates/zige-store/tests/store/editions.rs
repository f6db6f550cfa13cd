//! Catalogue editions in the story: a draft, its overlay history,
//! publication in one step (then immutable), discard and import again.

use zige_store::{Store, StoreError, User};

use crate::helpers::NOW;

/// A draft is imported once; its overlay is replaced, and its history
/// keeps every overlay it had.
pub async fn a_draft_keeps_its_overlay_history(store: &Store, rev1: &User) {
    let d = store
        .import_edition(
            "beijing/3.1",
            "beijing",
            "3.1",
            "TEXT",
            "OV1",
            Some(rev1.id),
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(d.status, "draft");
    assert!(matches!(
        store
            .import_edition("beijing/3.1", "beijing", "3.1", "T", "O", None, NOW)
            .await,
        Err(StoreError::Duplicate("edition"))
    ));
    store
        .set_edition_overlay(
            "beijing/3.1",
            "OV2",
            "English names for G123",
            Some(rev1.id),
            NOW + 1,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .overlay_history("beijing/3.1")
            .await
            .unwrap()
            .iter()
            .map(|c| c.note.as_str())
            .collect::<Vec<_>>(),
        ["imported", "English names for G123"]
    );
}

/// Publication takes one step, and a published edition is immutable;
/// an unknown one is not found.
pub async fn a_published_edition_is_immutable(store: &Store, rev1: &User) {
    let p = store
        .publish_edition("beijing/3.1", "2027-01-01", Some(rev1.id), NOW + 2)
        .await
        .unwrap();
    assert_eq!(
        (
            p.status.as_str(),
            p.effective_from.as_deref(),
            p.overlay.as_str()
        ),
        ("published", Some("2027-01-01"), "OV2")
    );
    assert!(
        matches!(
            store
                .set_edition_overlay("beijing/3.1", "X", "", None, NOW)
                .await,
            Err(StoreError::Conflict)
        ),
        "published editions are immutable"
    );
    assert!(matches!(
        store
            .publish_edition("beijing/3.1", "2028-01-01", None, NOW)
            .await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store.discard_edition("beijing/3.1", None, NOW).await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store
            .publish_edition("beijing/9.9", "2028-01-01", None, NOW)
            .await,
        Err(StoreError::NotFound)
    ));
}

/// A discarded draft can be imported again; the list shows each edition
/// once, in import order.
pub async fn a_discarded_draft_can_be_imported_again(store: &Store) {
    store
        .import_edition("beijing/3.2", "beijing", "3.2", "T", "O", None, NOW)
        .await
        .unwrap();
    store
        .discard_edition("beijing/3.2", None, NOW)
        .await
        .unwrap();
    store
        .import_edition("beijing/3.2", "beijing", "3.2", "T2", "O2", None, NOW)
        .await
        .unwrap();
    assert_eq!(
        store
            .editions()
            .await
            .unwrap()
            .iter()
            .map(|e| (e.id.as_str(), e.status.as_str()))
            .collect::<Vec<_>>(),
        [("beijing/3.1", "published"), ("beijing/3.2", "draft")]
    );
}
