//! Accounts and sessions, the story's first chapter: Ada and two reviewers
//! sign up, an address is taken once, and sessions expire.

use zige_cases::Role;
use zige_store::{Store, StoreError, User};

use crate::helpers::{person, NOW};

/// The people of the story (Bob joins later, in the queue).
pub struct People {
    pub ada: User,
    pub rev1: User,
    pub rev2: User,
}

/// Ada and two reviewers sign up; Ada's address cannot be taken again,
/// and it finds her account with its password hash.
pub async fn ada_and_two_reviewers_sign_up(store: &Store) -> People {
    let ada = store
        .create_user(
            "ada@example.org",
            "Ada",
            Role::Applicant,
            "$argon2id$fake",
            NOW,
            None,
        )
        .await
        .unwrap();
    let rev1 = person(store, "rev1", "Rev One", Role::Reviewer).await;
    let rev2 = person(store, "rev2", "Rev Two", Role::Reviewer).await;
    assert!(matches!(
        store
            .create_user("ada@example.org", "Again", Role::Applicant, "h", NOW, None)
            .await,
        Err(StoreError::Duplicate("email"))
    ));
    let (found, hash) = store
        .user_by_email("ada@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.id, hash.as_str()), (ada.id, "$argon2id$fake"));
    People { ada, rev1, rev2 }
}

/// Sessions expire and follow the account.
pub async fn sessions_expire(store: &Store, ada: &User) {
    store
        .create_session("tok", ada.id, "csrf", NOW, NOW + 1000)
        .await
        .unwrap();
    assert_eq!(
        store
            .session("tok", NOW + 1)
            .await
            .unwrap()
            .unwrap()
            .user
            .id,
        ada.id
    );
    assert!(store.session("tok", NOW + 2000).await.unwrap().is_none());
}
