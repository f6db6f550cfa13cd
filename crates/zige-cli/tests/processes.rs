//! Real `zige serve` processes: killed with SIGKILL in the middle of a
//! burst of submissions and restarted (nothing acknowledged is lost, the
//! database passes its integrity check and the audit chain holds), and two
//! processes sharing one PostgreSQL database.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use common::client::Client;
use common::postgres::{block_on, database_or_skip, drop_database};
use common::run::zige_stdin;
use common::server::{Serve, Server};
use common::temp::TempDir;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

/// Starts `zige serve` on a free port and waits until it is ready.
fn start(data_dir: &Path, database_url: Option<&str>) -> Server {
    Serve::new(data_dir)
        .database_url(database_url)
        .ready_within(Duration::from_secs(30))
        .start()
}

/// A client without a session.
fn client(base: &str) -> Client {
    Client::new(base, Duration::from_secs(20))
}

/// A registered and signed-in applicant.
fn applicant(base: &str, email: &str) -> Client {
    let mut c = client(base);
    let (s, b) = c.register(email);
    assert_eq!(s, 202, "{b}");
    let (s, b) = c.sign_in(json!({"email": email, "password": "correct horse"}));
    assert_eq!(s, 201, "{b}");
    c
}

/// Signs a staff account in with a code of its second factor.
fn login_staff(c: &mut Client, email: &str, totp_secret: &str) {
    let secret = zige_cases::second_factor::base32_decode(totp_secret).unwrap();
    let code = zige_cases::second_factor::code_at(&secret, zige_web::cases::now_ms());
    let (s, b) = c.sign_in(json!({"email": email, "password": "staff password 1", "code": code}));
    assert_eq!(s, 201, "{b}");
}

fn form(n: usize) -> Value {
    json!({"holder_name": format!("Applicant {n}"), "profile": {"entry": "G7", "age": 40, "beijing_employer": true},
           "certificate": {"number": format!("CFA-{n}"), "issuer": "CFA Institute", "issued_on": "2020-05-01"}})
}

/// Creates a staff account with a second factor; answers its TOTP secret.
fn create_user(data_dir: &Path, database_url: Option<&str>, email: &str, role: &str) -> String {
    let mut args = vec![
        "admin",
        "create-user",
        "--email",
        email,
        "--role",
        role,
        "--password-stdin",
        "--with-totp",
        "--data-dir",
        data_dir.to_str().unwrap(),
    ];
    if let Some(url) = database_url {
        args.extend(["--database-url", url]);
    }
    let out = zige_stdin(&args, "staff password 1\n");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("totp-secret: "))
        .expect("a totp-secret line")
        .to_string()
}

/// The store passes its integrity check and its audit chain holds.
fn check_store(data_dir: &Path, database_url: Option<&str>) {
    block_on(async {
        let store = zige_store::Store::open(data_dir, database_url)
            .await
            .unwrap();
        assert_eq!(store.integrity_check().await.unwrap(), "ok");
        let n = store.verify_audit().await.unwrap();
        assert!(n > 0);
        store.close().await;
    });
}

/// Client `i` creates, uploads to and submits applications until told to
/// stop or refused; each acknowledged submission goes into `acked`.
fn submit_until_stopped(c: &Client, i: usize, acked: &Mutex<Vec<(usize, i64)>>, stop: &AtomicBool) {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let (s, b) = c.call("POST", "/api/v1/applications", Some(form(n)));
        if s != 201 {
            break;
        }
        let id = b["id"].as_i64().unwrap();
        if c.upload(id, PDF).0 != 201 {
            break;
        }
        let (s, _) = c.call("POST", &format!("/api/v1/applications/{id}/submit"), None);
        if s != 200 {
            break;
        }
        acked.lock().unwrap().push((i, id));
    }
}

/// Submissions race a SIGKILL; after a restart every acknowledged one is there.
fn crash_and_recover(data_dir: &Path, database_url: Option<&str>) {
    let server = start(data_dir, database_url);
    let clients: Vec<Client> = (0..4)
        .map(|i| applicant(&server.base, &format!("crash{i}@example.org")))
        .collect();
    let acked: Arc<Mutex<Vec<(usize, i64)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let acked = acked.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                submit_until_stopped(&c, i, &acked, &stop);
                c
            })
        })
        .collect();
    // Let the burst run, then pull the plug while requests are in flight.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while acked.lock().unwrap().len() < 40 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill9();
    stop.store(true, Ordering::Relaxed);
    let clients: Vec<Client> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 40,
        "only {} submissions before the kill",
        acked.len()
    );

    let server = start(data_dir, database_url);
    for (i, id) in &acked {
        let (s, b) =
            clients[*i]
                .on(&server.base)
                .call("GET", &format!("/api/v1/applications/{id}"), None);
        assert_eq!(
            (s, b["state"].as_str()),
            (200, Some("submitted")),
            "acknowledged application {id} after the crash: {b}"
        );
        assert_eq!(b["evidence"].as_array().map(Vec::len), Some(1));
    }
    server.kill9();
    check_store(data_dir, database_url);
}

/// Two reviewers decide application `id` at once: one wins (201), the
/// other is told it changed (409). Answers the verification code.
fn decide_at_once(r1: Client, r2: Client, id: i64, version: i64) -> String {
    let path = format!("/api/v1/applications/{id}/decision");
    let t1 = std::thread::spawn({
        let p = path.clone();
        move || {
            r1.call(
                "POST",
                &p,
                Some(json!({"outcome": "approved", "version": version})),
            )
        }
    });
    let t2 = std::thread::spawn(move || {
        r2.call(
            "POST",
            &path,
            Some(json!({"outcome": "approved", "version": version})),
        )
    });
    let (x, y) = (t1.join().unwrap(), t2.join().unwrap());
    let mut codes = [x.0, y.0];
    codes.sort();
    assert_eq!(codes, [201, 409], "{x:?} {y:?}");
    let winner = if x.0 == 201 { &x.1 } else { &y.1 };
    winner["verification_code"].as_str().unwrap().to_string()
}

/// Both processes verify decision `code` alike, with the same published key.
fn verify_alike(a: &str, b: &str, code: &str) {
    let anon_a = client(a);
    let anon_b = client(b);
    let (va, vb) = (
        anon_a.call("GET", &format!("/api/v1/verify/{code}"), None),
        anon_b.call("GET", &format!("/api/v1/verify/{code}"), None),
    );
    assert_eq!((va.0, vb.0), (200, 200));
    assert_eq!(va.1, vb.1);
    assert_eq!(va.1["signature_valid"], true);
    assert_eq!(
        anon_a.call("GET", "/api/v1/keys", None).1,
        anon_b.call("GET", "/api/v1/keys", None).1
    );
}

#[test]
fn kill_9_during_submissions_loses_nothing_acknowledged_on_sqlite() {
    let dir = TempDir::new("proc-crash-sqlite");
    crash_and_recover(dir.path(), None);
}

#[test]
fn kill_9_during_submissions_loses_nothing_acknowledged_on_postgres() {
    let Some(url) = database_or_skip("crash") else {
        return;
    };
    let dir = TempDir::new("proc-crash-pg");
    crash_and_recover(dir.path(), Some(&url));
    drop_database(&url);
}

#[test]
fn two_processes_on_one_postgres_database_serve_the_same_applications() {
    let Some(url) = database_or_skip("two") else {
        return;
    };
    let tmp = TempDir::new("proc-two");
    let dir = tmp.path();
    let rev1 = create_user(dir, Some(&url), "rev1@example.org", "reviewer");
    let rev2 = create_user(dir, Some(&url), "rev2@example.org", "reviewer");
    let a = start(dir, Some(&url));
    let b = start(dir, Some(&url));

    // Registered on A, signed in on B: one database of accounts and sessions.
    let ada_a = applicant(&a.base, "ada@example.org");
    let ada_b = ada_a.on(&b.base);
    let (s, app) = ada_a.call("POST", "/api/v1/applications", Some(form(1)));
    assert_eq!(s, 201);
    let id = app["id"].as_i64().unwrap();
    assert_eq!(
        ada_b.upload(id, PDF).0,
        201,
        "evidence through the other process"
    );
    let (s, _) = ada_a.call("POST", &format!("/api/v1/applications/{id}/submit"), None);
    assert_eq!(s, 200);

    let mut r1 = client(&a.base);
    login_staff(&mut r1, "rev1@example.org", &rev1);
    let mut r2 = client(&b.base);
    login_staff(&mut r2, "rev2@example.org", &rev2);
    let (_, q) = r2.call("GET", "/api/v1/review/queue", None);
    assert_eq!(q["items"][0]["id"], id, "B's queue shows what A received");
    let (_, case) = r1.call("GET", &format!("/api/v1/applications/{id}"), None);
    let version = case["version"].as_i64().unwrap();

    // The two reviewers decide at once through different processes.
    let code = decide_at_once(r1, r2, id, version);
    // Both processes verify it alike, with the same published key.
    verify_alike(&a.base, &b.base, &code);
    let (_, mine) = ada_b.call("GET", &format!("/api/v1/applications/{id}"), None);
    assert_eq!(mine["state"], "approved");
    drop((a, b));
    check_store(dir, Some(&url));
    drop_database(&url);
}
