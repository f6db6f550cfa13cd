//! Faults and races at the storage layer: a database that fills up (SQLite's
//! `max_page_count` stands in for a full disk, no root needed), evidence
//! files removed only when no record refers to them, and limits that
//! concurrent requests cannot overshoot — on SQLite and on PostgreSQL
//! (`ZIGE_TEST_POSTGRES`, default postgres://postgres@127.0.0.1:5432/test).

use std::collections::BTreeSet;
use std::path::PathBuf;

use zige_cases::{MediaType, Role, State};
use zige_store::{Blobs, LimitKind, Limits, Store, StoreError};

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zige-faults-{tag}-{}", std::process::id()));
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
    let name = format!("zige_faults_{tag}_{}", std::process::id());
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
    store.migrate().await.unwrap();
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

async fn sqlite(dir: &std::path::Path) -> Store {
    let store = Store::open(dir, None).await.unwrap();
    store.migrate().await.unwrap();
    store
}

const NOW: i64 = 1_795_000_000_000;

fn pdf(n: usize) -> bytes::Bytes {
    bytes::Bytes::from(format!("%PDF-1.4\n% evidence {n}\n%%EOF\n").into_bytes())
}

/// Fill the database until writes fail; every failure is an error (never
/// an Ok that stored nothing), the write probe fails too; then lift the
/// cap: writes succeed and are really there, and after closing and
/// reopening every acknowledged write is present and none of the refused.
#[tokio::test]
async fn a_full_database_refuses_writes_and_loses_none_it_acknowledged() {
    let dir = temp_dir("full");
    let store = sqlite(&dir).await;
    store.write_probe(NOW).await.unwrap();
    let pages = store.page_count_for_tests().await.unwrap();
    store
        .set_max_pages_for_tests(Some(pages as u64 + 8))
        .await
        .unwrap();
    let name = "x".repeat(2000);
    let mut acknowledged = Vec::new();
    let mut refused = Vec::new();
    let mut failures_in_a_row = 0;
    for i in 0.. {
        let email = format!("full{i}@example.org");
        match store
            .create_user(&email, &name, Role::Applicant, "h", NOW, None)
            .await
        {
            Ok(u) => {
                acknowledged.push(u.email);
                failures_in_a_row = 0;
            }
            Err(e) => {
                assert!(e.is_storage_full(), "a full database says so: {e}");
                refused.push(email);
                failures_in_a_row += 1;
                if failures_in_a_row == 5 {
                    break;
                }
            }
        }
        assert!(i < 10_000, "the database never filled up");
    }
    assert!(!acknowledged.is_empty());
    assert!(
        store.write_probe(NOW).await.is_err(),
        "the write probe (readyz) fails while the database is full"
    );
    // Still full: more writes are refused, never acknowledged.
    for i in 0..5 {
        let email = format!("still-full{i}@example.org");
        assert!(store
            .create_user(&email, &name, Role::Applicant, "h", NOW, None)
            .await
            .is_err());
        refused.push(email);
    }
    // Space comes back.
    store.set_max_pages_for_tests(None).await.unwrap();
    store.write_probe(NOW).await.unwrap();
    for i in 0..20 {
        let u = store
            .create_user(
                &format!("after{i}@example.org"),
                &name,
                Role::Applicant,
                "h",
                NOW,
                None,
            )
            .await
            .unwrap();
        // Really stored: another connection reads it back now.
        assert_eq!(store.user(u.id).await.unwrap().unwrap().email, u.email);
        acknowledged.push(u.email);
    }
    store.close().await;

    let store = sqlite(&dir).await;
    let emails: BTreeSet<String> = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.email)
        .collect();
    for e in &acknowledged {
        assert!(
            emails.contains(e),
            "acknowledged {e} is there after reopening"
        );
    }
    for e in &refused {
        assert!(!emails.contains(e), "refused {e} was not stored");
    }
    assert_eq!(emails.len(), acknowledged.len());
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
    store.verify_audit().await.unwrap();
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

async fn applicant(store: &Store, tag: &str) -> i64 {
    store
        .create_user(
            &format!("{tag}@example.org"),
            tag,
            Role::Applicant,
            "h",
            NOW,
            None,
        )
        .await
        .unwrap()
        .id
}

async fn draft(store: &Store, who: i64) -> i64 {
    store
        .create_application(who, "beijing/3.1", "{}", (None, None), NOW)
        .await
        .unwrap()
        .id
}

/// A deletes a draft holding file X while B uploads the same X: every
/// upload B was told succeeded can be read back, however the two
/// interleave, and a sweep afterwards keeps B's file.
async fn delete_race(store: &Store, blobs: &Blobs) {
    let a = applicant(store, "race-a").await;
    let b = applicant(store, "race-b").await;
    let mut b_ok = Vec::new();
    for round in 0..20 {
        let x = pdf(1000 + round);
        let a_draft = draft(store, a).await;
        store
            .store_evidence(blobs, x.clone(), MediaType::Pdf, "x.pdf", a_draft, a, NOW)
            .await
            .unwrap();
        let b_draft = draft(store, b).await;
        let del = {
            let (store, blobs) = (store.clone(), blobs.clone());
            tokio::spawn(async move {
                store.delete_draft(a_draft, a, NOW).await.unwrap();
                // A sweep that considers every file old races too.
                store.sweep_blobs(&blobs, -1_000_000, NOW).await.unwrap();
            })
        };
        let up = {
            let (store, blobs, x) = (store.clone(), blobs.clone(), x.clone());
            tokio::spawn(async move {
                store
                    .store_evidence(&blobs, x, MediaType::Pdf, "x.pdf", b_draft, b, NOW)
                    .await
            })
        };
        del.await.unwrap();
        if let Ok(e) = up.await.unwrap() {
            b_ok.push((e.sha256, x));
        }
    }
    assert_eq!(b_ok.len(), 20, "every upload of B was acknowledged");
    for (sha, x) in &b_ok {
        assert_eq!(&blobs.get(sha).await.unwrap(), x, "B's file is there");
    }
}

/// The sweep removes files no record refers to once older than the grace
/// period, and keeps referenced or young ones.
async fn sweep(store: &Store, blobs: &Blobs) {
    let who = applicant(store, "sweeper").await;
    let d = draft(store, who).await;
    let kept = store
        .store_evidence(blobs, pdf(1), MediaType::Pdf, "kept.pdf", d, who, NOW)
        .await
        .unwrap();
    let orphan = pdf(2);
    let orphan_sha = zige_cases::sha256_hex(&orphan);
    blobs.put(&orphan_sha, orphan).await.unwrap();
    let modified_now = chrono_now();
    // Within the grace period: nothing goes.
    let r = store
        .sweep_blobs(blobs, 3_600_000, modified_now)
        .await
        .unwrap();
    assert_eq!(r.removed, 0, "{r:?}");
    assert!(blobs.exists(&orphan_sha).await.unwrap());
    // An hour later: the orphan goes, the referenced file stays.
    let r = store
        .sweep_blobs(blobs, 3_600_000, modified_now + 3_700_000)
        .await
        .unwrap();
    assert_eq!(r.removed, 1, "{r:?}");
    assert!(!blobs.exists(&orphan_sha).await.unwrap());
    assert!(blobs.exists(&kept.sha256).await.unwrap());
    // Once its draft is deleted, the file is an orphan too.
    store.delete_draft(d, who, NOW).await.unwrap();
    assert!(
        blobs.exists(&kept.sha256).await.unwrap(),
        "deletion keeps files"
    );
    store
        .sweep_blobs(blobs, 3_600_000, modified_now + 3_700_000)
        .await
        .unwrap();
    assert!(!blobs.exists(&kept.sha256).await.unwrap());
    store.verify_audit().await.unwrap();
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// 40 concurrent uploads to one draft store exactly the limit; 40
/// concurrent new drafts stop at the limit; bytes per account too.
async fn limits(store: &Store, blobs: &Blobs) {
    let store = store.clone().with_limits(Limits {
        evidence_per_application: 20,
        open_drafts_per_account: 7,
        storage_bytes_per_account: 40 * 1024,
    });
    let who = applicant(&store, "limits").await;
    let d = draft(&store, who).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (store, blobs) = (store.clone(), blobs.clone());
        tasks.push(tokio::spawn(async move {
            store
                .store_evidence(&blobs, pdf(100 + i), MediaType::Pdf, "f.pdf", d, who, NOW)
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Limit { what, max }) => {
                assert_eq!((what, max), (LimitKind::EvidencePerApplication, 20))
            }
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(ok, 20);
    assert_eq!(store.evidence(d).await.unwrap().len(), 20);

    let mut tasks = Vec::new();
    for _ in 0..40 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .create_application(who, "beijing/3.1", "{}", (None, None), NOW)
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Limit { what, .. }) => assert_eq!(what, LimitKind::OpenDrafts),
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(ok, 6, "one draft existed, six more make seven");
    let drafts = store
        .applications_of(who)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.state == State::Draft)
        .count();
    assert_eq!(drafts, 7);

    // Bytes: 40 KiB per account, 8 KiB files over two drafts.
    let other = applicant(&store, "bytes").await;
    let (d1, d2) = (draft(&store, other).await, draft(&store, other).await);
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (store, blobs) = (store.clone(), blobs.clone());
        let target = if i % 2 == 0 { d1 } else { d2 };
        let mut body = pdf(500 + i).to_vec();
        body.resize(8 * 1024, b' ');
        tasks.push(tokio::spawn(async move {
            store
                .store_evidence(
                    &blobs,
                    body.into(),
                    MediaType::Pdf,
                    "b.pdf",
                    target,
                    other,
                    NOW,
                )
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Limit { what, .. }) => {
                assert_eq!(what, LimitKind::StoragePerAccount)
            }
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(ok, 5, "five files of 8 KiB fit in 40 KiB");
}

#[tokio::test]
async fn sqlite_delete_race_sweep_and_limits() {
    let dir = temp_dir("race");
    let store = sqlite(&dir).await;
    let blobs = Blobs::open(&dir, None).unwrap();
    delete_race(&store, &blobs).await;
    sweep(&store, &blobs).await;
    limits(&store, &blobs).await;
    store.verify_audit().await.unwrap();
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn postgres_delete_race_sweep_and_limits() {
    let Some((store, name)) = postgres("race").await else {
        assert!(
            std::env::var_os("ZIGE_REQUIRE_POSTGRES").is_none(),
            "ZIGE_REQUIRE_POSTGRES is set but no PostgreSQL answers"
        );
        eprintln!("note: no PostgreSQL; skipped");
        return;
    };
    let dir = temp_dir("pgrace");
    let blobs = Blobs::open(&dir, None).unwrap();
    delete_race(&store, &blobs).await;
    sweep(&store, &blobs).await;
    limits(&store, &blobs).await;
    store.verify_audit().await.unwrap();
    store.close().await;
    drop_postgres(&name).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A moto S3 server on a free port, stopped when dropped.
struct Moto(std::process::Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One plain HTTP request to moto (it takes unsigned requests): creates a bucket.
fn create_bucket(port: u16, bucket: &str) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// Evidence through object_store's S3 client against a real S3-compatible
/// server (moto's server mode): round trip, the delete race and the sweep.
/// `ZIGE_MOTO` names the moto_server program; without it this skips with a
/// note (and fails when `ZIGE_REQUIRE_S3` is set).
#[tokio::test]
async fn s3_evidence_round_trip_delete_race_and_sweep() {
    let Ok(moto) = std::env::var("ZIGE_MOTO") else {
        assert!(
            std::env::var_os("ZIGE_REQUIRE_S3").is_none(),
            "ZIGE_REQUIRE_S3 is set but ZIGE_MOTO (the moto_server program) is not"
        );
        eprintln!("note: S3 test skipped; set ZIGE_MOTO=/path/to/moto_server to run it");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _moto = Moto(
        std::process::Command::new(&moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("moto_server starts"),
    );
    let mut up = false;
    for _ in 0..300 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "moto_server answers on port {port}");
    create_bucket(port, "zige-evidence");
    // The same variables a deployment sets (see blobs.rs).
    for (k, v) in [
        ("AWS_ENDPOINT", format!("http://127.0.0.1:{port}")),
        ("AWS_ALLOW_HTTP", "true".into()),
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_REGION", "us-east-1".into()),
    ] {
        std::env::set_var(k, v);
    }
    let dir = temp_dir("s3");
    let store = sqlite(&dir).await;
    let blobs = Blobs::open(&dir, Some("s3://zige-evidence/beijing")).unwrap();
    let x = pdf(77);
    let sha = zige_cases::sha256_hex(&x);
    blobs.put(&sha, x.clone()).await.unwrap();
    assert_eq!(blobs.get(&sha).await.unwrap(), x);
    assert!(blobs.list().await.unwrap().iter().any(|(h, _)| h == &sha));
    assert!(
        !dir.join("blobs/evidence").exists(),
        "nothing on the local disk"
    );
    blobs.delete(&sha).await.unwrap();
    assert!(matches!(blobs.get(&sha).await, Err(StoreError::NotFound)));
    delete_race(&store, &blobs).await;
    sweep(&store, &blobs).await;
    store.verify_audit().await.unwrap();
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
