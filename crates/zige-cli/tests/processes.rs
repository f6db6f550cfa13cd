//! Real `zige serve` processes: killed with SIGKILL in the middle of a
//! burst of submissions and restarted (nothing acknowledged is lost, the
//! database passes its integrity check and the audit chain holds), and two
//! processes sharing one PostgreSQL database.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_zige");
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zige-proc-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `zige serve` on a free port and waits until it is ready.
    fn start(data_dir: &Path, database_url: Option<&str>) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .env("ZIGE_LOG", "warn,zige_web=info")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(url) = database_url {
            cmd.args(["--database-url", url]);
        }
        let mut child = cmd.spawn().expect("zige serve starts");
        let out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(i) = line.find("http://127.0.0.1:") {
                        let url = line[i..]
                            .split_whitespace()
                            .next()
                            .unwrap()
                            .trim_end_matches('/')
                            .to_string();
                        let _ = tx.send(url);
                        sent = true;
                    }
                }
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server says it is ready");
        Server { child, base }
    }

    fn kill9(mut self) {
        // std's kill() is SIGKILL on Unix: no graceful shutdown.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Client {
    agent: ureq::Agent,
    base: String,
    token: Option<String>,
}

impl Client {
    fn new(base: &str) -> Client {
        Client {
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(20))
                .build(),
            base: base.to_string(),
            token: None,
        }
    }

    fn on(&self, base: &str) -> Client {
        Client {
            agent: self.agent.clone(),
            base: base.to_string(),
            token: self.token.clone(),
        }
    }

    fn req(&self, method: &str, path: &str) -> ureq::Request {
        let r = self.agent.request(method, &format!("{}{path}", self.base));
        match &self.token {
            Some(t) => r.set("authorization", &format!("Bearer {t}")),
            None => r,
        }
    }

    /// Status and JSON body (errors included).
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let r = self.req(method, path);
        let res = match body {
            Some(b) => r.send_json(b),
            None => r.call(),
        };
        match res {
            Ok(r) => (r.status(), r.into_json().unwrap_or(Value::Null)),
            Err(ureq::Error::Status(code, r)) => (code, r.into_json().unwrap_or(Value::Null)),
            Err(e) => (0, json!(e.to_string())),
        }
    }

    fn upload(&self, id: i64) -> u16 {
        let boundary = "zigeboundary";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cert.pdf\"\r\n\r\n").into_bytes();
        body.extend_from_slice(PDF);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        match self
            .req("POST", &format!("/api/v1/applications/{id}/evidence"))
            .set(
                "content-type",
                &format!("multipart/form-data; boundary={boundary}"),
            )
            .send_bytes(&body)
        {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(_) => 0,
        }
    }

    fn register(base: &str, email: &str) -> Client {
        let mut c = Client::new(base);
        let (s, b) = c.call(
            "POST",
            "/api/v1/accounts",
            Some(json!({"email": email, "password": "correct horse"})),
        );
        assert_eq!(s, 201, "{b}");
        c.login(email, "correct horse");
        c
    }

    fn login(&mut self, email: &str, password: &str) {
        self.login_with(json!({"email": email, "password": password}));
    }

    /// Signs a staff account in with a code of its second factor.
    fn login_staff(&mut self, email: &str, totp_secret: &str) {
        let secret = zige_cases::second_factor::base32_decode(totp_secret).unwrap();
        let code = zige_cases::second_factor::code_at(&secret, zige_web::auth::now_ms());
        self.login_with(json!({"email": email, "password": "staff password 1", "code": code}));
    }

    fn login_with(&mut self, body: Value) {
        let (s, b) = self.call("POST", "/api/v1/session", Some(body));
        assert_eq!(s, 201, "{b}");
        self.token = Some(b["token"].as_str().unwrap().to_string());
    }
}

fn form(n: usize) -> Value {
    json!({"holder_name": format!("Applicant {n}"), "profile": {"entry": "G7", "age": 40, "beijing_employer": true},
           "certificate": {"number": format!("CFA-{n}"), "issuer": "CFA Institute", "issued_on": "2020-05-01"}})
}

/// Creates a staff account with a second factor; answers its TOTP secret.
fn create_user(data_dir: &Path, database_url: Option<&str>, email: &str, role: &str) -> String {
    use std::io::Write;
    let mut cmd = Command::new(BIN);
    cmd.args([
        "admin",
        "create-user",
        "--email",
        email,
        "--role",
        role,
        "--password-stdin",
        "--with-totp",
        "--data-dir",
    ])
    .arg(data_dir)
    .stdin(Stdio::piped())
    .stdout(Stdio::piped());
    if let Some(url) = database_url {
        cmd.args(["--database-url", url]);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"staff password 1\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("totp-secret: "))
        .expect("a totp-secret line")
        .to_string()
}

/// A fresh PostgreSQL database's URL, or None when no server answers.
fn postgres(tag: &str) -> Option<String> {
    let admin = std::env::var("ZIGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("zige_proc_{tag}_{}", std::process::id());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = zige_store::Store::open(Path::new("."), Some(&admin))
            .await
            .ok()?;
        store
            .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .ok()?;
        store
            .execute_admin(&format!("CREATE DATABASE {name}"))
            .await
            .ok()?;
        store.close().await;
        Some(format!("{}/{name}", admin.rsplit_once('/').unwrap().0))
    })
}

fn drop_db(url: &str) {
    let admin = std::env::var("ZIGE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = url.rsplit_once('/').unwrap().1.to_string();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        if let Ok(store) = zige_store::Store::open(Path::new("."), Some(&admin)).await {
            let _ = store
                .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
            store.close().await;
        }
    });
}

fn check_store(data_dir: &Path, database_url: Option<&str>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = zige_store::Store::open(data_dir, database_url)
            .await
            .unwrap();
        assert_eq!(store.integrity_check().await.unwrap(), "ok");
        let n = store.verify_audit().await.unwrap();
        assert!(n > 0);
        store.close().await;
    });
}

/// Submissions race a SIGKILL; after a restart every acknowledged one is there.
fn crash_and_recover(data_dir: &Path, database_url: Option<&str>) {
    let server = Server::start(data_dir, database_url);
    let clients: Vec<Client> = (0..4)
        .map(|i| Client::register(&server.base, &format!("crash{i}@example.org")))
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
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let (s, b) = c.call("POST", "/api/v1/applications", Some(form(n)));
                    if s != 201 {
                        break;
                    }
                    let id = b["id"].as_i64().unwrap();
                    if c.upload(id) != 201 {
                        break;
                    }
                    let (s, _) = c.call("POST", &format!("/api/v1/applications/{id}/submit"), None);
                    if s != 200 {
                        break;
                    }
                    acked.lock().unwrap().push((i, id));
                }
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

    let server = Server::start(data_dir, database_url);
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

#[test]
fn kill_9_during_submissions_loses_nothing_acknowledged_on_sqlite() {
    let dir = temp_dir("crash-sqlite");
    crash_and_recover(&dir, None);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kill_9_during_submissions_loses_nothing_acknowledged_on_postgres() {
    let Some(url) = postgres("crash") else {
        assert!(
            std::env::var_os("ZIGE_REQUIRE_POSTGRES").is_none(),
            "ZIGE_REQUIRE_POSTGRES is set but no PostgreSQL answers"
        );
        eprintln!("note: no PostgreSQL; skipped");
        return;
    };
    let dir = temp_dir("crash-pg");
    crash_and_recover(&dir, Some(&url));
    drop_db(&url);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_processes_on_one_postgres_database_serve_the_same_applications() {
    let Some(url) = postgres("two") else {
        assert!(
            std::env::var_os("ZIGE_REQUIRE_POSTGRES").is_none(),
            "ZIGE_REQUIRE_POSTGRES is set but no PostgreSQL answers"
        );
        eprintln!("note: no PostgreSQL; skipped");
        return;
    };
    let dir = temp_dir("two");
    let rev1 = create_user(&dir, Some(&url), "rev1@example.org", "reviewer");
    let rev2 = create_user(&dir, Some(&url), "rev2@example.org", "reviewer");
    let a = Server::start(&dir, Some(&url));
    let b = Server::start(&dir, Some(&url));

    // Registered on A, signed in on B: one database of accounts and sessions.
    let ada_a = Client::register(&a.base, "ada@example.org");
    let ada_b = ada_a.on(&b.base);
    let (s, app) = ada_a.call("POST", "/api/v1/applications", Some(form(1)));
    assert_eq!(s, 201);
    let id = app["id"].as_i64().unwrap();
    assert_eq!(ada_b.upload(id), 201, "evidence through the other process");
    let (s, _) = ada_a.call("POST", &format!("/api/v1/applications/{id}/submit"), None);
    assert_eq!(s, 200);

    let mut r1 = Client::new(&a.base);
    r1.login_staff("rev1@example.org", &rev1);
    let mut r2 = Client::new(&b.base);
    r2.login_staff("rev2@example.org", &rev2);
    let (_, q) = r2.call("GET", "/api/v1/review/queue", None);
    assert_eq!(q["items"][0]["id"], id, "B's queue shows what A received");
    let (_, case) = r1.call("GET", &format!("/api/v1/applications/{id}"), None);
    let version = case["version"].as_i64().unwrap();

    // The two reviewers decide at once through different processes.
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
    let code = if x.0 == 201 { &x.1 } else { &y.1 }["verification_code"]
        .as_str()
        .unwrap()
        .to_string();

    // Both processes verify it alike, with the same published key.
    let anon_a = Client::new(&a.base);
    let anon_b = Client::new(&b.base);
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
    let (_, mine) = ada_b.call("GET", &format!("/api/v1/applications/{id}"), None);
    assert_eq!(mine["state"], "approved");
    drop((a, b));
    check_store(&dir, Some(&url));
    drop_db(&url);
    let _ = std::fs::remove_dir_all(&dir);
}
