//! One story, told against both backends: an applicant applies, two
//! reviewers race to decide, a decision is issued and revoked, the audit
//! chain holds, and a backup restores into a fresh database (across
//! backends, too).
//!
//! PostgreSQL: `ZIGE_TEST_POSTGRES` (default postgres://postgres@127.0.0.1:5432/test);
//! each run works in a database of its own, dropped at the end.

use std::path::PathBuf;

use zige_cases::{Role, State};
use zige_store::{Blobs, Change, NewDecision, QueueFilter, Store, StoreError};

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zige-story-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// A fresh PostgreSQL database, or None when no server answers.
async fn postgres(tag: &str) -> Option<(Store, String)> {
    let admin_url = std::env::var("ZIGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let admin = Store::open(std::path::Path::new("."), Some(&admin_url))
        .await
        .ok()?;
    let name = format!("zige_story_{tag}_{}", std::process::id());
    admin
        .execute_admin(&format!("DROP DATABASE IF EXISTS {name}"))
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

const PDF: &[u8] = b"%PDF-1.4\n% certificate\n%%EOF\n";

async fn story(store: &Store, blobs: &Blobs) -> Vec<u8> {
    store.migrate().await.unwrap();
    let now = 1_795_000_000_000;
    let ada = store
        .create_user(
            "ada@example.org",
            "Ada",
            Role::Applicant,
            "$argon2id$fake",
            now,
            None,
        )
        .await
        .unwrap();
    let rev1 = store
        .create_user(
            "rev1@example.org",
            "Rev One",
            Role::Reviewer,
            "h",
            now,
            None,
        )
        .await
        .unwrap();
    let rev2 = store
        .create_user(
            "rev2@example.org",
            "Rev Two",
            Role::Reviewer,
            "h",
            now,
            None,
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_user("ada@example.org", "Again", Role::Applicant, "h", now, None)
            .await,
        Err(StoreError::Duplicate("email"))
    ));
    let (found, hash) = store
        .user_by_email("ada@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.id, hash.as_str()), (ada.id, "$argon2id$fake"));

    // Sessions expire and follow the account.
    store
        .create_session("tok", ada.id, "csrf", now, now + 1000)
        .await
        .unwrap();
    assert_eq!(
        store
            .session("tok", now + 1)
            .await
            .unwrap()
            .unwrap()
            .user
            .id,
        ada.id
    );
    assert!(store.session("tok", now + 2000).await.unwrap().is_none());

    // Sign-in attempts are counted before they are evaluated: after two
    // free failures under a key, the next waits 2 s, then 4 s; other keys
    // are not held up, and a success gives the attempt back.
    let keys = [("a:ada|10.0.0.1", 2), ("n:10.0.0.1", 3)];
    let forget = now - 3_600_000;
    for _ in 0..2 {
        assert_eq!(
            store
                .reserve_login_attempt(&keys, now, forget, 900_000)
                .await
                .unwrap(),
            Ok(())
        );
    }
    assert_eq!(
        store
            .reserve_login_attempt(&keys, now, forget, 900_000)
            .await
            .unwrap(),
        Err(now + 2000)
    );
    assert_eq!(
        store
            .reserve_login_attempt(&keys, now + 2000, forget, 900_000)
            .await
            .unwrap(),
        Ok(())
    );
    assert_eq!(
        store
            .reserve_login_attempt(&keys, now + 2000, forget, 900_000)
            .await
            .unwrap(),
        Err(now + 6000)
    );
    // The address key counted 3 (its free allowance): blocked for others too, for 2 s.
    let other = [("a:bob|10.0.0.1", 2), ("n:10.0.0.1", 3)];
    assert_eq!(
        store
            .reserve_login_attempt(&other, now + 2000, forget, 900_000)
            .await
            .unwrap(),
        Err(now + 4000)
    );
    // A blocked attempt counted nothing under the other key: bob is still free.
    let bob_elsewhere = [("a:bob|10.0.0.1", 2), ("n:10.0.0.9", 3)];
    assert_eq!(
        store
            .reserve_login_attempt(&bob_elsewhere, now + 2000, forget, 900_000)
            .await
            .unwrap(),
        Ok(())
    );
    store
        .release_login_attempt(
            &[("n:10.0.0.9", 3)],
            &["a:bob|10.0.0.1"],
            now + 2000,
            forget,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .reserve_login_attempt(&other, now + 4000, forget, 900_000)
            .await
            .unwrap(),
        Ok(())
    );

    // A draft, edited; a stale edit loses, nothing is overwritten.
    let app = store
        .create_application(
            ada.id,
            "beijing/3.0",
            r#"{"holder_name":"Ada"}"#,
            (Some("G7"), Some("international")),
            now,
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
            now + 1,
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .update_form(app.id, app.version - 1, "{}", (None, None), ada.id, now + 2)
            .await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        store.application(app.id).await.unwrap().unwrap().form,
        r#"{"holder_name":"Ada L."}"#
    );

    let sha = zige_cases::sha256_hex(PDF);
    blobs.put(&sha, PDF.to_vec().into()).await.unwrap();
    let ev = store
        .add_evidence(
            app.id,
            &sha,
            zige_cases::MediaType::Pdf,
            PDF.len() as i64,
            "cert.pdf",
            ada.id,
            now + 3,
        )
        .await
        .unwrap();
    let again = store
        .add_evidence(
            app.id,
            &sha,
            zige_cases::MediaType::Pdf,
            PDF.len() as i64,
            "copy.pdf",
            ada.id,
            now + 3,
        )
        .await
        .unwrap();
    assert_eq!(ev.id, again.id, "the same content is one record");

    let change = |id, from, to, action: &'static str, actor| Change {
        id,
        from,
        to,
        version: None,
        action,
        actor: Some(actor),
        reason: "",
        now: now + 10,
        catalog: None,
    };
    let (app, _) = store
        .transition(
            &change(app.id, State::Draft, State::Submitted, "submit", ada.id),
            None,
        )
        .await
        .unwrap();
    assert_eq!(app.submitted_at, Some(now + 10));
    assert!(matches!(
        store
            .add_evidence(
                app.id,
                &sha,
                zige_cases::MediaType::Pdf,
                1,
                "late.pdf",
                ada.id,
                now
            )
            .await,
        Err(StoreError::Conflict)
    ));

    // A second applicant's later submission queues behind Ada's.
    let bob = store
        .create_user("bob@example.org", "Bob", Role::Applicant, "h", now, None)
        .await
        .unwrap();
    let other = store
        .create_application(
            bob.id,
            "beijing/3.0",
            "{}",
            (Some("U1"), Some("unrestricted")),
            now,
        )
        .await
        .unwrap();
    store
        .transition(
            &Change {
                now: now + 20,
                ..change(other.id, State::Draft, State::Submitted, "submit", bob.id)
            },
            None,
        )
        .await
        .unwrap();
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
            submitted_before: Some(now + 15),
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

    store.record_view(app.id, rev1.id, now + 30).await.unwrap();
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

    // Two reviewers decide Bob's case at once: exactly one wins, the other gets a conflict.
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

    let revoked = store
        .revoke(&issued.code, "issued in error", rev1.id, now + 40)
        .await
        .unwrap();
    assert_eq!(revoked.revoked_at, Some(now + 40));
    assert!(matches!(
        store.revoke(&issued.code, "again", rev1.id, now + 41).await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store.revoke("NOPE", "x", rev1.id, now).await,
        Err(StoreError::NotFound)
    ));

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

    // Drafts can be deleted (their files go by the sweep: tests/faults.rs).
    let draft = store
        .create_application(ada.id, "beijing/3.0", "{}", (None, None), now)
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
            now,
        )
        .await
        .unwrap();
    store
        .add_evidence(
            draft.id,
            &sha,
            zige_cases::MediaType::Pdf,
            12,
            "p.pdf",
            ada.id,
            now,
        )
        .await
        .unwrap();
    store.delete_draft(draft.id, ada.id, now).await.unwrap();
    assert!(store.evidence(draft.id).await.unwrap().is_empty());
    assert!(
        matches!(
            store.delete_draft(app.id, ada.id, now).await,
            Err(StoreError::Conflict)
        ),
        "only drafts"
    );

    let n = store.verify_audit().await.unwrap();
    assert!(n >= 15, "{n} audit records");
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    // The key stored first is the one every process uses.
    let k1 = store
        .signing_key(&[1; 32], &[11; 32], "k1", now)
        .await
        .unwrap();
    let k2 = store
        .signing_key(&[2; 32], &[22; 32], "k2", now + 1)
        .await
        .unwrap();
    assert_eq!((k1.clone(), k2), (vec![1; 32], vec![1; 32]));
    assert_eq!(store.public_keys().await.unwrap(), [vec![11u8; 32]]);

    // Catalogue editions: a draft, its overlay history, publication in one step, discard.
    let d = store
        .import_edition(
            "beijing/3.1",
            "beijing",
            "3.1",
            "TEXT",
            "OV1",
            Some(rev1.id),
            now,
        )
        .await
        .unwrap();
    assert_eq!(d.status, "draft");
    assert!(matches!(
        store
            .import_edition("beijing/3.1", "beijing", "3.1", "T", "O", None, now)
            .await,
        Err(StoreError::Duplicate("edition"))
    ));
    store
        .set_edition_overlay(
            "beijing/3.1",
            "OV2",
            "English names for G123",
            Some(rev1.id),
            now + 1,
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
    let p = store
        .publish_edition("beijing/3.1", "2027-01-01", Some(rev1.id), now + 2)
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
                .set_edition_overlay("beijing/3.1", "X", "", None, now)
                .await,
            Err(StoreError::Conflict)
        ),
        "published editions are immutable"
    );
    assert!(matches!(
        store
            .publish_edition("beijing/3.1", "2028-01-01", None, now)
            .await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store.discard_edition("beijing/3.1", None, now).await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store
            .publish_edition("beijing/9.9", "2028-01-01", None, now)
            .await,
        Err(StoreError::NotFound)
    ));
    store
        .import_edition("beijing/3.2", "beijing", "3.2", "T", "O", None, now)
        .await
        .unwrap();
    store
        .discard_edition("beijing/3.2", None, now)
        .await
        .unwrap();
    store
        .import_edition("beijing/3.2", "beijing", "3.2", "T2", "O2", None, now)
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

    let mut out = Vec::new();
    let summary = store.backup(blobs, &mut out).await.unwrap();
    assert!(summary.rows > 20 && summary.files == 1, "{summary:?}");
    out
}

async fn restored_matches(target: &Store, blobs: &Blobs, backup: &[u8]) {
    target.migrate().await.unwrap();
    let summary = target.restore(blobs, backup).await.unwrap();
    assert_eq!(summary.files, 1);
    let d = target.decisions().await.unwrap();
    assert!(d
        .iter()
        .any(|d| d.revoked_reason.as_deref() == Some("issued in error")));
    assert!(target.verify_audit().await.unwrap() >= 15);
    assert_eq!(
        blobs
            .get(&zige_cases::sha256_hex(PDF))
            .await
            .unwrap()
            .as_ref(),
        PDF
    );
    // New rows after a restore get fresh ids and continue the chain.
    let u = target
        .create_user("new@example.org", "New", Role::Applicant, "h", 1, None)
        .await
        .unwrap();
    assert!(u.id > 4);
    target.verify_audit().await.unwrap();
    // A second restore is refused: the database is no longer empty.
    assert!(matches!(
        target.restore(blobs, backup).await,
        Err(StoreError::Backup(_))
    ));
}

#[tokio::test]
async fn the_story_on_sqlite_and_its_backup_restores() {
    let dir = temp_dir("sqlite");
    let store = Store::open(&dir, None).await.unwrap();
    let blobs = Blobs::open(&dir, None).unwrap();
    let backup = story(&store, &blobs).await;
    {
        let dir2 = temp_dir("sqlite-restored");
        let target = Store::open(&dir2, None).await.unwrap();
        restored_matches(&target, &Blobs::open(&dir2, None).unwrap(), &backup).await;
        // A broken file changes nothing.
        let dir3 = temp_dir("sqlite-bad");
        let t3 = Store::open(&dir3, None).await.unwrap();
        t3.migrate().await.unwrap();
        let mut bad = backup.clone();
        bad.extend_from_slice(b"{\"table\":\"nope\",\"row\":[]}\n");
        assert!(
            matches!(t3.restore(&Blobs::open(&dir3, None).unwrap(), bad.as_slice()).await, Err(StoreError::Backup(m)) if m.contains("unknown table"))
        );
        assert!(t3.users().await.unwrap().is_empty());
    }
    store.close().await;
}

#[tokio::test]
async fn the_story_on_postgres_and_its_backup_restores_across_backends() {
    let Some((store, name)) = postgres("a").await else {
        assert!(
            std::env::var_os("ZIGE_REQUIRE_POSTGRES").is_none(),
            "ZIGE_REQUIRE_POSTGRES is set but no PostgreSQL answers"
        );
        eprintln!("note: no PostgreSQL; skipped");
        return;
    };
    let dir = temp_dir("pg");
    let blobs = Blobs::open(&dir, None).unwrap();
    let backup = story(&store, &blobs).await;
    store.close().await;
    {
        // PostgreSQL → PostgreSQL and PostgreSQL → SQLite.
        let (target, name2) = postgres("b").await.unwrap();
        restored_matches(&target, &blobs, &backup).await;
        target.close().await;
        drop_postgres(&name2).await;
        let dir2 = temp_dir("pg-to-sqlite");
        let lite = Store::open(&dir2, None).await.unwrap();
        restored_matches(&lite, &Blobs::open(&dir2, None).unwrap(), &backup).await;
    }
    drop_postgres(&name).await;
}
