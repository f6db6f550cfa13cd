//! A real full disk, on SQLite and on PostgreSQL: the data lives on a small
//! tmpfs, which a filler file fills; a real `zige serve` takes drafts and
//! evidence until writes fail, `/readyz` says 503, space is freed, writing
//! goes on, the server is restarted, and every acknowledged write is there
//! while nothing refused was stored.
//!
//! Needs root (mount) and is gated: `ZIGE_TMPFS_TEST=1` runs it (and fails
//! if it cannot mount); otherwise it skips with a note. The PostgreSQL run
//! starts its own throw-away cluster on a tmpfs (initdb and pg_ctl from
//! /usr/lib/postgresql/*/bin, run as the `postgres` user, port 55432).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::json;

use common::client::Client;
use common::server::{Serve, Server};
use common::temp::TempDir;

fn enabled(name: &str) -> bool {
    if std::env::var("ZIGE_TMPFS_TEST").as_deref() == Ok("1") {
        return true;
    }
    eprintln!("note: {name} skipped; set ZIGE_TMPFS_TEST=1 (as root) to run it on a real tmpfs");
    false
}

/// A tmpfs of `mb` megabytes, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(tag: &str, mb: u32) -> Tmpfs {
        let dir = std::env::temp_dir().join(format!("zige-tmpfs-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={mb}m,mode=0777"),
                "tmpfs",
            ])
            .arg(&dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            ok,
            "could not mount a tmpfs at {} (root needed)",
            dir.display()
        );
        Tmpfs(dir)
    }

    /// Fills the filesystem with `filler` until it is full, then frees
    /// `keep_kb` of it again.
    fn fill(&self, keep_kb: usize) {
        let path = self.0.join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let block = vec![0x5au8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
        let len = f.metadata().unwrap().len();
        f.set_len(len.saturating_sub(keep_kb as u64 * 1024))
            .unwrap();
    }

    fn free(&self) {
        std::fs::remove_file(self.0.join("filler")).unwrap();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// A real `zige serve` whose limits do not stop the filling first.
fn start(data_dir: &Path, database_url: Option<&str>) -> Server {
    Serve::new(data_dir)
        .env("ZIGE_MAX_OPEN_DRAFTS", "100000")
        .env("ZIGE_MAX_STORAGE_MB", "100000")
        .database_url(database_url)
        .start()
}

/// A client without a session.
fn client(base: &str) -> Client {
    Client::new(base, Duration::from_secs(60))
}

fn pdf(n: usize, kb: usize) -> Vec<u8> {
    let mut v = format!("%PDF-1.4\n% evidence {n}\n").into_bytes();
    // Unique, incompressible-ish filler.
    let mut x = n as u64 * 2654435761 + 1;
    while v.len() < kb * 1024 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.push(b'a' + (x % 26) as u8);
    }
    v.extend_from_slice(b"\n%%EOF\n");
    v
}

/// What one attempt left: a draft id, and the evidence (sha, bytes) when
/// its upload was acknowledged too.
#[derive(Default)]
struct Ledger {
    drafts: Vec<i64>,
    files: Vec<(i64, String, usize)>,
    accounts: Vec<String>,
    refused: usize,
}

impl Ledger {
    /// One account, one draft and one file; each acknowledgement is
    /// checked to be readable at once.
    fn attempt(&mut self, c: &Client, base: &str, n: usize) {
        let email = format!("n{n}@example.org");
        let fresh = client(base);
        match fresh.register(&email).0 {
            202 => self.accounts.push(email),
            s => {
                assert!(s >= 500 || s == 0, "registration: {s}");
                self.refused += 1;
            }
        }
        let (s, b) = c.call(
            "POST",
            "/api/v1/applications",
            Some(json!({"holder_name": format!("Applicant {n} {}", "x".repeat(80))})),
        );
        if s != 201 {
            assert!(s >= 500 || s == 0, "draft: {s} {b}");
            self.refused += 1;
            return;
        }
        let id = b["id"].as_i64().unwrap();
        let (g, _) = c.call("GET", &format!("/api/v1/applications/{id}"), None);
        assert_eq!(g, 200, "acknowledged draft {id} is readable at once");
        self.drafts.push(id);
        let (s, b) = c.upload(id, &pdf(n, 48));
        if s != 201 {
            assert!(s >= 500 || s == 0, "upload: {s} {b}");
            self.refused += 1;
            return;
        }
        let url = b["url"].as_str().unwrap().to_string();
        let (g, _) = c.call("GET", &url, None);
        assert_eq!(g, 200, "acknowledged evidence {url} is readable at once");
        self.files.push((id, url, n));
    }

    /// Every acknowledged write is there, and nothing else.
    fn check(&self, c: &Client, base: &str) {
        for email in &self.accounts {
            assert_eq!(client(base).login(email), 201, "{email} can sign in");
        }
        let (s, list) = c.call("GET", "/api/v1/applications", None);
        assert_eq!(s, 200);
        let items = list
            .as_array()
            .or_else(|| list["items"].as_array())
            .or_else(|| list["applications"].as_array())
            .cloned()
            .unwrap_or_default();
        let mut stored: Vec<i64> = items.iter().filter_map(|a| a["id"].as_i64()).collect();
        stored.sort();
        let mut acked = self.drafts.clone();
        acked.sort();
        assert_eq!(stored, acked, "exactly the acknowledged drafts are stored");
        for (id, url, n) in &self.files {
            let r = c
                .req("GET", url)
                .call()
                .unwrap_or_else(|e| panic!("{url} of {id}: {e}"));
            let mut body = Vec::new();
            std::io::Read::read_to_end(&mut r.into_reader(), &mut body).unwrap();
            assert_eq!(body, pdf(*n, 48), "evidence {url} has its bytes");
        }
    }
}

/// Fills the disk and writes until ten writes are refused, checks that
/// `/readyz` says 503, then writes ten more. Answers the next attempt's number.
fn write_while_full(fs: &Tmpfs, ledger: &mut Ledger, c: &Client, base: &str) -> usize {
    fs.fill(512);
    let mut n = 100;
    while ledger.refused < 10 {
        ledger.attempt(c, base, n);
        n += 1;
        assert!(n < 2000, "the filesystem never filled up");
    }
    eprintln!(
        "full: {} drafts and {} files acknowledged, {} writes refused",
        ledger.drafts.len(),
        ledger.files.len(),
        ledger.refused
    );
    let (s, b) = c.call("GET", "/readyz", None);
    assert_eq!(s, 503, "readyz while full: {b}");
    assert!(b["errors"][0]["code"].is_string(), "{b}");
    // Still full: whatever is acknowledged is readable (checked inside).
    for _ in 0..10 {
        ledger.attempt(c, base, n);
        n += 1;
    }
    n
}

/// Whether `/readyz` answers 200 again within 30 seconds.
fn ready_again(c: &Client) -> bool {
    let mut ready = false;
    for _ in 0..60 {
        if c.call("GET", "/readyz", None).0 == 200 {
            ready = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    ready
}

fn run(fs: &Tmpfs, data_dir: &Path, database_url: Option<&str>) {
    let server = start(data_dir, database_url);
    let base = server.base.clone();
    let mut c = client(&base);
    assert_eq!(c.register("owner@example.org").0, 202);
    assert_eq!(c.login("owner@example.org"), 201);
    let mut ledger = Ledger::default();
    for n in 0..5 {
        ledger.attempt(&c, &base, n);
    }
    assert_eq!(ledger.refused, 0);

    let next = write_while_full(fs, &mut ledger, &c, &base);

    fs.free();
    assert!(ready_again(&c), "readyz is ok again once space is back");
    let before = ledger.refused;
    for n in next..next + 20 {
        ledger.attempt(&c, &base, n);
    }
    assert_eq!(
        ledger.refused, before,
        "with space back every write succeeds"
    );
    ledger.check(&c, &base);
    server.stop();

    let server = start(data_dir, database_url);
    let mut c = client(&server.base);
    assert_eq!(c.login("owner@example.org"), 201);
    ledger.check(&c, &server.base);
    eprintln!(
        "after restart: all {} drafts, {} files and {} accounts acknowledged are there",
        ledger.drafts.len(),
        ledger.files.len(),
        ledger.accounts.len()
    );
    server.stop();
}

#[test]
fn sqlite_on_a_full_tmpfs_loses_nothing_acknowledged() {
    if !enabled("sqlite_on_a_full_tmpfs_loses_nothing_acknowledged") {
        return;
    }
    let fs = Tmpfs::mount("sqlite", 20);
    let data = fs.0.join("data");
    run(&fs, &data, None);
}

/// A throw-away PostgreSQL cluster in a directory, stopped when dropped.
struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
}

fn as_postgres(cmd: &str) -> bool {
    Command::new("su")
        .args(["postgres", "-s", "/bin/sh", "-c", cmd])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

impl Cluster {
    fn start(dir: &Path, port: u16) -> Cluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL in /usr/lib/postgresql")
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin"))
            .find(|p| p.join("initdb").exists())
            .expect("initdb");
        let (i, c) = (bin.join("initdb"), bin.join("pg_ctl"));
        let d = dir.display();
        assert!(as_postgres(&format!(
            "{} -D {d} -U postgres -A trust --no-sync --wal-segsize=1 >/dev/null",
            i.display()
        )));
        assert!(as_postgres(&format!(
            "{} -D {d} -o '-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c max_wal_size=8MB -c min_wal_size=2MB' -l {d}/../pg.log -w start >/dev/null",
            c.display()
        )));
        Cluster {
            bin,
            dir: dir.to_path_buf(),
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        as_postgres(&format!(
            "{} -D {} -m immediate stop >/dev/null 2>&1",
            self.bin.join("pg_ctl").display(),
            self.dir.display()
        ));
    }
}

#[test]
fn postgres_on_a_full_tmpfs_loses_nothing_acknowledged() {
    if !enabled("postgres_on_a_full_tmpfs_loses_nothing_acknowledged") {
        return;
    }
    let fs = Tmpfs::mount("postgres", 64);
    let pgdata = fs.0.join("pg");
    std::fs::create_dir_all(&pgdata).unwrap();
    assert!(Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(&fs.0)
        .status()
        .unwrap()
        .success());
    let _cluster = Cluster::start(&pgdata, 55432);
    // Evidence files on the normal disk; the database on the small one.
    let data = TempDir::new("tmpfs-pgdata");
    run(
        &fs,
        data.path(),
        Some("postgres://postgres@127.0.0.1:55432/postgres"),
    );
}
