//! Decisions in the story: approving Ada's case issues a decision found
//! by its code, it is revoked once, and the first signing key stored is
//! the one every process uses.

use zige_cases::State;
use zige_store::{Application, Change, DecisionRecord, NewDecision, Store, StoreError, User};

use crate::helpers::{change, NOW};

/// Approving Ada's case issues a numbered decision, found by its code.
pub async fn approving_adas_case_issues_a_decision(
    store: &Store,
    app: &Application,
    rev1: &User,
) -> DecisionRecord {
    let approve_ada = Change {
        version: Some(app.version),
        reason: "evidence complete",
        ..change(
            app.id,
            State::UnderReview,
            State::Approved,
            "approve",
            rev1.id,
        )
    };
    let make = |n: i64| NewDecision {
        number: format!("BJ-2026-{n:06}"),
        code: format!("CODE{n:022}"),
        holder_name: "Ada L.".into(),
        signed: "{}".into(),
    };
    let a = store.transition(&approve_ada, Some(&make)).await;
    let (_, issued) = a.unwrap();
    let issued = issued.unwrap();
    assert!(issued.number.starts_with("BJ-2026-00000"));
    assert_eq!(
        store.decision_by_code(&issued.code).await.unwrap().unwrap(),
        issued
    );
    issued
}

/// A decision is revoked once; an unknown code is not found.
pub async fn a_decision_is_revoked_once(store: &Store, issued: &DecisionRecord, rev1: &User) {
    let revoked = store
        .revoke(&issued.code, "issued in error", rev1.id, NOW + 40)
        .await
        .unwrap();
    assert_eq!(revoked.revoked_at, Some(NOW + 40));
    assert!(matches!(
        store.revoke(&issued.code, "again", rev1.id, NOW + 41).await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store.revoke("NOPE", "x", rev1.id, NOW).await,
        Err(StoreError::NotFound)
    ));
}

/// The key stored first is the one every process uses, until a rotation.
pub async fn the_first_signing_key_stored_is_everyones(store: &Store) {
    let k1 = store
        .signing_key(&[1; 32], &[11; 32], "k1", NOW)
        .await
        .unwrap();
    let k2 = store
        .signing_key(&[2; 32], &[22; 32], "k2", NOW + 1)
        .await
        .unwrap();
    assert_eq!((k1.clone(), k2), (vec![1; 32], vec![1; 32]));
    assert_eq!(store.public_keys().await.unwrap(), [vec![11u8; 32]]);

    // A rotation: the new key signs, the old one stays published.
    store
        .rotate_signing_key(&[3; 32], &[33; 32], "k3", NOW + 2)
        .await
        .unwrap();
    let keys = store.signing_keys().await.unwrap().unwrap();
    assert_eq!(keys.current, vec![3u8; 32]);
    assert_eq!(keys.published, [vec![11u8; 32], vec![33u8; 32]]);
    assert_eq!(
        store
            .signing_key(&[4; 32], &[44; 32], "k4", NOW + 3)
            .await
            .unwrap(),
        vec![3u8; 32],
        "a process starting after the rotation signs with the new key"
    );
}
