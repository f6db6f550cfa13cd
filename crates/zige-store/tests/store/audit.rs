//! The audit log in the story: after every chapter so far, the chain
//! verifies and the database finds nothing wrong with itself.

use zige_store::Store;

/// The audit chain holds (every write so far told of) and the database
/// is sound.
pub async fn the_chain_and_the_database_hold(store: &Store) {
    let n = store.verify_audit().await.unwrap();
    assert!(n >= 15, "{n} audit records");
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
}
