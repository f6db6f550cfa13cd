//! The second factor's storage on both backends: enrolment kept across
//! reloads, a TOTP step used once even when two sign-ins race, recovery
//! codes used once, a pending session that opens nothing until completed
//! (once), and a reset that ends every session; each audited.

use zige_cases::Role;
use zige_store::{Store, StoreError, User};

use crate::helpers::{audit_actions, person, postgres, sqlite, temp_dir, NOW};

/// Enrolment: the first secret stays while it is not confirmed; once
/// enabled, it cannot be enabled or enrolled again.
async fn enrolment_keeps_its_secret_until_confirmed(store: &Store, rev: &User) {
    assert_eq!(store.second_factor(rev.id).await.unwrap(), None);
    let f = store.start_enrolment(rev.id, &[7; 20], NOW).await.unwrap();
    let again = store.start_enrolment(rev.id, &[9; 20], NOW).await.unwrap();
    assert_eq!(again.secret, f.secret, "a reload shows the same QR code");
    assert!(!f.enabled);
    let hashes: Vec<String> = (0..10).map(|i| format!("hash{i}")).collect();
    store
        .enable_second_factor(rev.id, 100, &hashes, None, NOW)
        .await
        .unwrap();
    assert!(matches!(
        store
            .enable_second_factor(rev.id, 101, &hashes, None, NOW)
            .await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store.start_enrolment(rev.id, &[1; 20], NOW).await,
        Err(StoreError::Conflict)
    ));
    let f = store.second_factor(rev.id).await.unwrap().unwrap();
    assert_eq!((f.enabled, f.last_step, f.recovery_left), (true, 100, 10));
    assert!(
        !format!("{f:?}").contains("7, 7"),
        "the secret is not in debug output"
    );
}

/// A step works once: the step of enrolment, then racing sign-ins.
async fn a_totp_step_works_once(store: &Store, rev: &User) {
    assert!(!store.use_totp_step(rev.id, 100).await.unwrap());
    let (a, b) = tokio::join!(
        store.use_totp_step(rev.id, 101),
        store.use_totp_step(rev.id, 101)
    );
    assert!(
        a.unwrap() ^ b.unwrap(),
        "exactly one of two racing sign-ins uses step 101"
    );
    assert!(
        !store.use_totp_step(rev.id, 100).await.unwrap(),
        "no going back"
    );
}

/// A recovery code works once, and only for its own account.
async fn a_recovery_code_works_once(store: &Store, rev: &User, admin: &User) {
    assert!(store.use_recovery_code(rev.id, "hash3", NOW).await.unwrap());
    assert!(!store.use_recovery_code(rev.id, "hash3", NOW).await.unwrap());
    assert!(!store
        .use_recovery_code(rev.id, "nohash", NOW)
        .await
        .unwrap());
    assert!(
        !store
            .use_recovery_code(admin.id, "hash4", NOW)
            .await
            .unwrap(),
        "not another's"
    );
    assert_eq!(
        store
            .second_factor(rev.id)
            .await
            .unwrap()
            .unwrap()
            .recovery_left,
        9
    );
}

/// A pending session opens nothing until completed, and completes once.
async fn a_pending_session_completes_once(store: &Store, rev: &User) {
    store
        .create_pending_session("pending", rev.id, "csrf", NOW)
        .await
        .unwrap();
    assert!(store.session("pending", NOW).await.unwrap().is_none());
    assert_eq!(
        store
            .pending_session("pending", NOW)
            .await
            .unwrap()
            .unwrap()
            .user
            .id,
        rev.id
    );
    assert!(
        store
            .pending_session("pending", NOW + 11 * 60 * 1000)
            .await
            .unwrap()
            .is_none(),
        "ten minutes only"
    );
    store
        .complete_pending_session("pending", "full", rev.id, "csrf2", NOW, NOW + 1000)
        .await
        .unwrap();
    assert!(matches!(
        store
            .complete_pending_session("pending", "full2", rev.id, "csrf2", NOW, NOW + 1000)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(store
        .pending_session("pending", NOW)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        store.session("full", NOW).await.unwrap().unwrap().user.id,
        rev.id
    );
}

/// An admin's reset removes the factor and ends the sessions.
async fn an_admin_reset_removes_the_factor_and_the_sessions(
    store: &Store,
    rev: &User,
    admin: &User,
) {
    store
        .remove_second_factor(rev.id, admin.id, true, NOW)
        .await
        .unwrap();
    assert_eq!(store.second_factor(rev.id).await.unwrap(), None);
    assert!(store.session("full", NOW).await.unwrap().is_none());
    assert!(matches!(
        store.remove_second_factor(999, admin.id, true, NOW).await,
        Err(StoreError::NotFound)
    ));
}

/// Enrolment, use of a recovery code and the reset are each audited once.
async fn each_change_is_audited_once(store: &Store) {
    let a = audit_actions(store).await;
    for want in [
        "second_factor.enrol",
        "second_factor.recovery_use",
        "second_factor.reset",
    ] {
        assert_eq!(
            a.iter().filter(|x| *x == want).count(),
            1,
            "{want} in {a:?}"
        );
    }
    store.verify_audit().await.unwrap();
}

async fn second_factor_story(store: &Store) {
    let rev = person(store, "rev", "Rev", Role::Reviewer).await;
    let admin = person(store, "admin", "Admin", Role::Admin).await;
    enrolment_keeps_its_secret_until_confirmed(store, &rev).await;
    a_totp_step_works_once(store, &rev).await;
    a_recovery_code_works_once(store, &rev, &admin).await;
    a_pending_session_completes_once(store, &rev).await;
    an_admin_reset_removes_the_factor_and_the_sessions(store, &rev, &admin).await;
    each_change_is_audited_once(store).await;
}

#[tokio::test]
async fn second_factor_storage_on_sqlite() {
    let dir = temp_dir("sf");
    let store = sqlite(&dir).await;
    second_factor_story(&store).await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn second_factor_storage_on_postgres() {
    let Some(database) = postgres("sf").await else {
        return;
    };
    second_factor_story(&database.store).await;
    database.drop_database().await;
}
