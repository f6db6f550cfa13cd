//! The second factor's storage on both backends: enrolment kept across
//! reloads, a TOTP step used once even when two sign-ins race, recovery
//! codes used once, a pending session that opens nothing until completed
//! (once), and a reset that ends every session; each audited.
//!
//! PostgreSQL: `ZIGE_TEST_POSTGRES` (default postgres://postgres@127.0.0.1:5432/test).

use zige_cases::Role;
use zige_store::{Store, StoreError};

async fn postgres(tag: &str) -> Option<(Store, String)> {
    let admin_url = std::env::var("ZIGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let admin = Store::open(std::path::Path::new("."), Some(&admin_url))
        .await
        .ok()?;
    let name = format!("zige_sf_{tag}_{}", std::process::id());
    admin
        .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin
        .execute_admin(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await;
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    let store = Store::open(std::path::Path::new("."), Some(&format!("{base}/{name}")))
        .await
        .unwrap();
    Some((store, name))
}

async fn drop_postgres(name: &str) {
    let admin_url = std::env::var("ZIGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let admin = Store::open(std::path::Path::new("."), Some(&admin_url))
        .await
        .unwrap();
    admin
        .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await;
}

async fn actions(store: &Store) -> Vec<String> {
    store
        .audit(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect()
}

async fn second_factor_story(store: &Store) {
    store.migrate().await.unwrap();
    let now = 1_795_000_000_000;
    let rev = store
        .create_user("rev@example.org", "Rev", Role::Reviewer, "h", now, None)
        .await
        .unwrap();
    let admin = store
        .create_user("admin@example.org", "Admin", Role::Admin, "h", now, None)
        .await
        .unwrap();
    assert_eq!(store.second_factor(rev.id).await.unwrap(), None);

    // Enrolment: the first secret stays while it is not confirmed.
    let f = store.start_enrolment(rev.id, &[7; 20], now).await.unwrap();
    let again = store.start_enrolment(rev.id, &[9; 20], now).await.unwrap();
    assert_eq!(again.secret, f.secret, "a reload shows the same QR code");
    assert!(!f.enabled);
    let hashes: Vec<String> = (0..10).map(|i| format!("hash{i}")).collect();
    store
        .enable_second_factor(rev.id, 100, &hashes, None, now)
        .await
        .unwrap();
    assert!(matches!(
        store
            .enable_second_factor(rev.id, 101, &hashes, None, now)
            .await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store.start_enrolment(rev.id, &[1; 20], now).await,
        Err(StoreError::Conflict)
    ));
    let f = store.second_factor(rev.id).await.unwrap().unwrap();
    assert_eq!((f.enabled, f.last_step, f.recovery_left), (true, 100, 10));
    assert!(
        !format!("{f:?}").contains("7, 7"),
        "the secret is not in debug output"
    );

    // A step works once: the step of enrolment, then racing sign-ins.
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

    // A recovery code works once.
    assert!(store.use_recovery_code(rev.id, "hash3", now).await.unwrap());
    assert!(!store.use_recovery_code(rev.id, "hash3", now).await.unwrap());
    assert!(!store
        .use_recovery_code(rev.id, "nohash", now)
        .await
        .unwrap());
    assert!(
        !store
            .use_recovery_code(admin.id, "hash4", now)
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

    // A pending session opens nothing until completed, and completes once.
    store
        .create_pending_session("pending", rev.id, "csrf", now)
        .await
        .unwrap();
    assert!(store.session("pending", now).await.unwrap().is_none());
    assert_eq!(
        store
            .pending_session("pending", now)
            .await
            .unwrap()
            .unwrap()
            .user
            .id,
        rev.id
    );
    assert!(
        store
            .pending_session("pending", now + 11 * 60 * 1000)
            .await
            .unwrap()
            .is_none(),
        "ten minutes only"
    );
    store
        .complete_pending_session("pending", "full", rev.id, "csrf2", now, now + 1000)
        .await
        .unwrap();
    assert!(matches!(
        store
            .complete_pending_session("pending", "full2", rev.id, "csrf2", now, now + 1000)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(store
        .pending_session("pending", now)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        store.session("full", now).await.unwrap().unwrap().user.id,
        rev.id
    );

    // An admin's reset removes the factor and ends the sessions.
    store
        .remove_second_factor(rev.id, admin.id, true, now)
        .await
        .unwrap();
    assert_eq!(store.second_factor(rev.id).await.unwrap(), None);
    assert!(store.session("full", now).await.unwrap().is_none());
    assert!(matches!(
        store.remove_second_factor(999, admin.id, true, now).await,
        Err(StoreError::NotFound)
    ));

    let a = actions(store).await;
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

#[tokio::test]
async fn second_factor_storage_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("zige-sf-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&dir, None).await.unwrap();
    second_factor_story(&store).await;
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn second_factor_storage_on_postgres() {
    let Some((store, name)) = postgres("story").await else {
        assert!(
            std::env::var_os("ZIGE_REQUIRE_POSTGRES").is_none(),
            "ZIGE_REQUIRE_POSTGRES is set but no PostgreSQL answers"
        );
        eprintln!("note: no PostgreSQL; skipped");
        return;
    };
    second_factor_story(&store).await;
    store.close().await;
    drop_postgres(&name).await;
}
