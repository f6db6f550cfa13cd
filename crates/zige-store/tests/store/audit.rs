//! The audit log in the story: after every chapter so far, the chain
//! verifies and the database finds nothing wrong with itself.

use zige_store::{AuditFilter, Store};

/// The audit chain holds (every write so far told of) and the database
/// is sound.
pub async fn the_chain_and_the_database_hold(store: &Store) {
    let n = store.verify_audit().await.unwrap();
    assert!(n >= 15, "{n} audit records");
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
}

/// The audit log is searched in SQL by actor, action and time, newest
/// first, a page at a time, with the count of every match.
pub async fn searching_filters_and_pages(store: &Store) {
    let all = store.audit(0, 10_000).await.unwrap();
    let page = |limit, offset| AuditFilter {
        limit,
        offset,
        ..AuditFilter::default()
    };
    let (total, first) = store.audit_search(&page(5, 0)).await.unwrap();
    assert_eq!(total as usize, all.len());
    assert_eq!(first.len(), 5);
    assert_eq!(first[0].seq, all.last().unwrap().seq, "newest first");
    let (_, second) = store.audit_search(&page(5, 5)).await.unwrap();
    assert_eq!(second[0].seq, first[4].seq - 1, "the next page goes on");

    let action = all.iter().find(|r| r.actor.is_some()).unwrap();
    let by_action = AuditFilter {
        action: Some(action.action.clone()),
        ..page(500, 0)
    };
    let (n, found) = store.audit_search(&by_action).await.unwrap();
    let expected = all.iter().filter(|r| r.action == action.action).count();
    assert_eq!((n as usize, found.len()), (expected, expected));

    let by_actor = AuditFilter {
        actor: action.actor,
        ..page(500, 0)
    };
    let (n, found) = store.audit_search(&by_actor).await.unwrap();
    assert!(n > 0 && found.iter().all(|r| r.actor == action.actor));

    let one_instant = AuditFilter {
        from: Some(action.at),
        until: Some(action.at + 1),
        ..page(500, 0)
    };
    let (_, found) = store.audit_search(&one_instant).await.unwrap();
    assert!(found.iter().all(|r| r.at == action.at) && !found.is_empty());
    let none = AuditFilter {
        action: Some("no.such_action".into()),
        ..page(500, 0)
    };
    assert_eq!(store.audit_search(&none).await.unwrap(), (0, Vec::new()));
}
