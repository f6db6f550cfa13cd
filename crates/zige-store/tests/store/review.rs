//! The review in the story: Bob's later submission queues behind Ada's
//! (filters, and nobody sees their own), a reviewer opens Ada's case, and
//! two reviewers race to decide Bob's.

use zige_cases::{Role, State};
use zige_store::{Application, Change, Holding, NewDecision, QueueFilter, Store, StoreError, User};

use crate::accounts::People;
use crate::helpers::{change, person, NOW};

/// A second applicant's later submission queues behind Ada's; the queue
/// filters by list and by waiting time, and nobody sees their own
/// application in it. Returns Bob's application.
pub async fn bobs_later_submission_queues_behind_adas(
    store: &Store,
    app: &Application,
) -> Application {
    let (bob, other) = bob_submits_later(store).await;
    the_queue_filters_and_hides_ones_own(store, app, &other, &bob).await;
    other
}

/// Bob, a second applicant, submits ten milliseconds after Ada.
async fn bob_submits_later(store: &Store) -> (User, Application) {
    let bob = person(store, "bob", "Bob", Role::Applicant).await;
    let other = store
        .create_application(
            bob.id,
            "beijing/3.0",
            "{}",
            (Some("U1"), Some("unrestricted")),
            NOW,
        )
        .await
        .unwrap();
    store
        .transition(
            &Change {
                now: NOW + 20,
                ..change(other.id, State::Draft, State::Submitted, "submit", bob.id)
            },
            None,
        )
        .await
        .unwrap();
    (bob, other)
}

/// Oldest submission first, with the applicant's address; by list; by
/// waiting time; and never the viewer's own application.
async fn the_queue_filters_and_hides_ones_own(
    store: &Store,
    app: &Application,
    other: &Application,
    bob: &User,
) {
    let (total, queue) = store
        .queue(&QueueFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(total, 2);
    assert_eq!(
        queue.iter().map(|q| q.application.id).collect::<Vec<_>>(),
        [app.id, other.id]
    );
    assert_eq!(queue[0].applicant_email, "ada@example.org");
    let (_, g) = store
        .queue(&QueueFilter {
            list: Some("unrestricted".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(g.len(), 1);
    let (_, waiting) = store
        .queue(&QueueFilter {
            submitted_before: Some(NOW + 15),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(waiting.len(), 1);
    // Nobody sees their own application in the queue (Bob made reviewer).
    let (total, own) = store
        .queue(&QueueFilter {
            viewer: Some(bob.id),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (
            total,
            own.iter().map(|q| q.application.id).collect::<Vec<_>>()
        ),
        (1, vec![app.id])
    );
}

/// A reviewer looks at Ada's case and opens it.
pub async fn a_reviewer_views_and_opens_adas_case(
    store: &Store,
    app: &Application,
    rev1: &User,
) -> Application {
    store.record_view(app.id, rev1.id, NOW + 30).await.unwrap();
    let (app, _) = store
        .transition(
            &change(
                app.id,
                State::Submitted,
                State::UnderReview,
                "open",
                rev1.id,
            ),
            None,
        )
        .await
        .unwrap();
    app
}

/// Two reviewers decide Bob's case at once: exactly one wins, the other
/// gets a conflict.
pub async fn two_reviewers_race_to_decide_bobs_case(
    store: &Store,
    other: &Application,
    people: &People,
) {
    let People { rev1, rev2, .. } = people;
    let bobs = store.application(other.id).await.unwrap().unwrap();
    let approve = Change {
        version: Some(bobs.version),
        reason: "evidence complete",
        ..change(
            bobs.id,
            State::Submitted,
            State::Approved,
            "approve",
            rev1.id,
        )
    };
    let reject = Change {
        version: Some(bobs.version),
        reason: "not convinced",
        ..change(
            bobs.id,
            State::Submitted,
            State::Rejected,
            "reject",
            rev2.id,
        )
    };
    let make = |n: i64| NewDecision {
        number: format!("BJ-2026-{n:06}"),
        code: format!("RACE{n:022}"),
        holder_name: "Bob".into(),
        signed: "{}".into(),
    };
    let (a, b) = tokio::join!(
        store.transition(&approve, Some(&make)),
        store.transition(&reject, None)
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|w| **w).count(),
        1,
        "{a:?} {b:?}"
    );
    assert!(matches!(
        if a.is_ok() { &b } else { &a },
        Err(StoreError::Conflict)
    ));
    let bobs_now = store.application(other.id).await.unwrap().unwrap();
    assert_eq!(
        bobs_now.state,
        if a.is_ok() {
            State::Approved
        } else {
            State::Rejected
        }
    );
    assert_eq!(bobs_now.version, bobs.version + 1, "one change, not two");
    assert_eq!(
        store.decision_of(other.id).await.unwrap().is_some(),
        a.is_ok()
    );
    // Undo nothing: a late reviewer acting on the old version conflicts too.
    assert!(matches!(
        store.transition(&approve, Some(&make)).await,
        Err(StoreError::Conflict)
    ));
}

/// Two reviewers take Bob's waiting case at once: one has it, the other
/// gets a conflict; the queue's "mine" shows it to its holder alone, and
/// an admin's reassignment needs no holder.
pub async fn two_reviewers_race_to_take_bobs_case(
    store: &Store,
    other: &Application,
    people: &People,
) {
    let People { rev1, rev2, .. } = people;
    let (a, b) = tokio::join!(
        store.assign(
            other.id,
            Some(rev1.id),
            Holding::FreeOr(rev1.id),
            rev1.id,
            NOW + 40
        ),
        store.assign(
            other.id,
            Some(rev2.id),
            Holding::FreeOr(rev2.id),
            rev2.id,
            NOW + 40
        )
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|w| **w).count(),
        1,
        "{a:?} {b:?}"
    );
    let (holder, loser) = if a.is_ok() {
        (rev1, rev2)
    } else {
        (rev2, rev1)
    };
    let mine = |id: i64| QueueFilter {
        assigned_to: Some(id),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(store.queue(&mine(holder.id)).await.unwrap().0, 1);
    assert_eq!(store.queue(&mine(loser.id)).await.unwrap().0, 0);
    let release = store
        .assign(
            other.id,
            None,
            Holding::HeldBy(loser.id),
            loser.id,
            NOW + 41,
        )
        .await;
    assert!(
        matches!(release, Err(StoreError::Conflict)),
        "only its holder gives it back"
    );
    let moved = store
        .assign(
            other.id,
            Some(loser.id),
            Holding::Anybody,
            loser.id,
            NOW + 42,
        )
        .await;
    assert_eq!(moved.unwrap().assigned_to, Some(loser.id));
    let back = store
        .assign(other.id, None, Holding::Anybody, loser.id, NOW + 43)
        .await;
    assert_eq!(back.unwrap().assigned_to, None);
}

/// An admin keeps reason templates: added, changed only from the version
/// read (a stale change is a conflict and changes nothing), deleted; each
/// step is audited. One template is left for the backup.
pub async fn an_admin_keeps_reason_templates(store: &Store) {
    let admin = person(store, "reasons-admin", "Admin", Role::Admin).await;
    use zige_cases::reason_template::{ReasonTemplate, TemplateDraft};
    let template = |outcome: &str, title: &str| {
        ReasonTemplate::checked(&TemplateDraft {
            outcome: outcome.into(),
            title_zh: format!("{title}（中文）"),
            title_en: title.into(),
            text_zh: "证书已过期。".into(),
            text_en: "The certificate has expired.".into(),
        })
        .unwrap()
    };
    let expired = store
        .add_reason_template(&template("rejected", "Expired"), admin.id, NOW)
        .await
        .unwrap();
    let scan = store
        .add_reason_template(
            &template("more_information", "Scan unreadable"),
            admin.id,
            NOW,
        )
        .await
        .unwrap();
    let listed: Vec<String> = store
        .reason_templates()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.template.title_en)
        .collect();
    assert_eq!(listed, ["Scan unreadable", "Expired"], "by outcome code");

    let renamed = template("rejected", "Certificate expired");
    let version = store
        .change_reason_template(expired, 1, &renamed, admin.id, NOW + 1)
        .await
        .unwrap();
    assert_eq!(version, 2);
    let stale = store
        .change_reason_template(expired, 1, &template("rejected", "Lost"), admin.id, NOW + 2)
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    let kept = store.reason_template(expired).await.unwrap().unwrap();
    assert_eq!((kept.version, &kept.template), (2, &renamed));
    assert!(matches!(
        store
            .change_reason_template(9999, 1, &kept.template, admin.id, NOW)
            .await,
        Err(StoreError::NotFound)
    ));

    store
        .delete_reason_template(scan, admin.id, NOW + 3)
        .await
        .unwrap();
    assert!(store.reason_template(scan).await.unwrap().is_none());
    assert!(matches!(
        store.delete_reason_template(scan, admin.id, NOW + 3).await,
        Err(StoreError::NotFound)
    ));
    let (_, audited) = store
        .audit_search(&zige_store::AuditFilter {
            actor: Some(admin.id),
            from: Some(NOW),
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap();
    let steps: Vec<&str> = audited
        .iter()
        .filter(|r| r.action.starts_with("reason_template."))
        .map(|r| r.action.as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "reason_template.delete",
            "reason_template.change",
            "reason_template.add",
            "reason_template.add"
        ],
        "newest first"
    );
}
