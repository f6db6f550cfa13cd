//! Applications in the story: Ada drafts, edits (a stale edit loses),
//! uploads her certificate and submits; the timeline tells each step; only
//! drafts can be deleted.

use zige_cases::State;
use zige_store::{Application, Blobs, Store, StoreError, User};

use crate::helpers::{change, CERTIFICATE, NOW};

/// A draft, edited; a stale edit loses, nothing is overwritten.
pub async fn ada_drafts_and_edits(store: &Store, ada: &User) -> Application {
    let app = store
        .create_application(
            ada.id,
            "beijing/3.0",
            r#"{"holder_name":"Ada"}"#,
            (Some("G7"), Some("international")),
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(app.state, State::Draft);
    let app = store
        .update_form(
            app.id,
            app.version,
            r#"{"holder_name":"Ada L."}"#,
            (Some("G7"), Some("international")),
            ada.id,
            NOW + 1,
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .update_form(app.id, app.version - 1, "{}", (None, None), ada.id, NOW + 2)
            .await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        store.application(app.id).await.unwrap().unwrap().form,
        r#"{"holder_name":"Ada L."}"#
    );
    app
}

/// The same content uploaded twice is one record. Returns its hash.
pub async fn ada_uploads_her_certificate_twice(
    store: &Store,
    blobs: &Blobs,
    app: &Application,
    ada: &User,
) -> String {
    let sha = zige_cases::sha256_hex(CERTIFICATE);
    blobs.put(&sha, CERTIFICATE.to_vec().into()).await.unwrap();
    let ev = store
        .add_evidence(
            app.id,
            &sha,
            zige_cases::MediaType::Pdf,
            CERTIFICATE.len() as i64,
            "cert.pdf",
            ada.id,
            NOW + 3,
        )
        .await
        .unwrap();
    let again = store
        .add_evidence(
            app.id,
            &sha,
            zige_cases::MediaType::Pdf,
            CERTIFICATE.len() as i64,
            "copy.pdf",
            ada.id,
            NOW + 3,
        )
        .await
        .unwrap();
    assert_eq!(ev.id, again.id, "the same content is one record");
    sha
}

/// Submitting stamps the time; a submitted application takes no evidence.
pub async fn ada_submits(store: &Store, app: &Application, ada: &User, sha: &str) -> Application {
    let (app, _) = store
        .transition(
            &change(app.id, State::Draft, State::Submitted, "submit", ada.id),
            None,
        )
        .await
        .unwrap();
    assert_eq!(app.submitted_at, Some(NOW + 10));
    assert!(matches!(
        store
            .add_evidence(
                app.id,
                sha,
                zige_cases::MediaType::Pdf,
                1,
                "late.pdf",
                ada.id,
                NOW
            )
            .await,
        Err(StoreError::Conflict)
    ));
    app
}

/// The timeline tells each step of Ada's application.
pub async fn the_timeline_tells_each_step(store: &Store, app: &Application) {
    let timeline: Vec<_> = store
        .events(app.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.to_state))
        .collect();
    assert_eq!(
        timeline,
        [
            ("create".to_string(), State::Draft),
            ("submit".into(), State::Submitted),
            ("open".into(), State::UnderReview),
            ("approve".into(), State::Approved)
        ]
    );
}

/// Drafts can be deleted (their files go by the sweep: `evidence_files.rs`);
/// nothing else can.
pub async fn only_drafts_can_be_deleted(store: &Store, ada: &User, app: &Application, sha: &str) {
    let draft = store
        .create_application(ada.id, "beijing/3.0", "{}", (None, None), NOW)
        .await
        .unwrap();
    let lone = zige_cases::sha256_hex(b"\x89PNG\r\n\x1a\nlone");
    store
        .add_evidence(
            draft.id,
            &lone,
            zige_cases::MediaType::Png,
            12,
            "p.png",
            ada.id,
            NOW,
        )
        .await
        .unwrap();
    store
        .add_evidence(
            draft.id,
            sha,
            zige_cases::MediaType::Pdf,
            12,
            "p.pdf",
            ada.id,
            NOW,
        )
        .await
        .unwrap();
    store.delete_draft(draft.id, ada.id, NOW).await.unwrap();
    assert!(store.evidence(draft.id).await.unwrap().is_empty());
    assert!(
        matches!(
            store.delete_draft(app.id, ada.id, NOW).await,
            Err(StoreError::Conflict)
        ),
        "only drafts"
    );
}
