//! Audit records sealed into the chain after their commits: many writers
//! at once, through two stores on one database (as two server processes
//! would be), each sealing in the background, leave one chain holding
//! every record once, on SQLite and on PostgreSQL.

use zige_cases::Role;
use zige_store::Store;

use crate::helpers::{person, postgres, sqlite, temp_dir, NOW};

const WRITES: usize = 40;

async fn many_writers_and_two_sealers_leave_one_chain(a: &Store, b: &Store) {
    let user = person(a, "sealing", "Sealing Person", Role::Applicant).await;
    let before = a.verify_audit().await.unwrap();
    let sealers = [a.seal_in_background(), b.seal_in_background()];
    let writes = (0..WRITES).map(|i| {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        async move {
            let token = format!("sealing-token-{i}");
            store
                .create_session(&token, user.id, "csrf", NOW, NOW + 60_000)
                .await
        }
    });
    for written in futures::future::join_all(writes).await {
        written.unwrap();
    }
    // Both sealers run meanwhile; whatever they have not sealed yet is
    // sealed here, and the whole chain is checked.
    let after = b.verify_audit().await.unwrap();
    assert_eq!(after, before + WRITES, "every record sealed once");
    assert_eq!(a.seal_audit().await.unwrap(), 0, "nothing left pending");
    let records = a.audit(before as i64, 1_000).await.unwrap();
    let sessions = records
        .iter()
        .filter(|r| r.action == "session.create" && r.actor == Some(user.id))
        .count();
    assert_eq!(sessions, WRITES);
    for sealer in sealers {
        sealer.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_writers_and_two_sealers_leave_one_chain_on_sqlite() {
    let dir = temp_dir("sealing");
    let a = sqlite(&dir).await;
    let b = sqlite(&dir).await;
    many_writers_and_two_sealers_leave_one_chain(&a, &b).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_writers_and_two_sealers_leave_one_chain_on_postgres() {
    let Some(db) = postgres("sealing").await else {
        return;
    };
    let b = Store::open(std::path::Path::new("."), Some(&db.url()))
        .await
        .unwrap();
    many_writers_and_two_sealers_leave_one_chain(&db.store, &b).await;
    b.close().await;
    db.drop_database().await;
}
