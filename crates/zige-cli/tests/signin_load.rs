//! A real `zige serve` under 200 concurrent sign-ins: password hashing runs
//! on a pool bounded by the cores, the excess is told to come back (503 with
//! Retry-After), and the process stays small.

mod common;

use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::server::Serve;
use common::temp::TempDir;

/// A figure of /proc/PID/status in kB (VmRSS, VmHWM, Threads).
fn status(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// A sign-in with a wrong password from client `i` (through the trusted
/// proxy): the status, and for a refusal its Retry-After and body.
fn wrong_sign_in(agent: &ureq::Agent, url: &str, i: usize) -> (u16, Option<(String, String)>) {
    let r = agent
        .post(url)
        .set("x-forwarded-for", &format!("198.18.{}.{}", i / 250, i % 250 + 1))
        .send_json(ureq::json!({"email": format!("nobody{i}@example.org"), "password": "not the password"}));
    match r {
        Ok(resp) => (resp.status(), None),
        Err(ureq::Error::Status(code, resp)) => {
            let retry = resp.header("retry-after").map(str::to_string);
            let body = resp.into_string().unwrap_or_default();
            (code, retry.map(|r| (r, body)))
        }
        Err(e) => panic!("transport error: {e}"),
    }
}

#[test]
fn two_hundred_concurrent_sign_ins_stay_under_300_mb() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("skipped: no /proc");
        return;
    }
    let dir = TempDir::new("signin-load");
    // Each request comes "from" its own client through a trusted proxy, so
    // the per-address limit does not stop them before the hashing does.
    let server = Serve::new(dir.path())
        .args(&["--trusted-proxy", "127.0.0.1"])
        .start();
    let pid = server.child.id();
    let before = status(pid, "VmRSS");
    let n = 200;
    let go = Arc::new(Barrier::new(n));
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(120))
        .build();
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let (go, agent) = (go.clone(), agent.clone());
            let url = format!("{}/api/v1/session", server.base);
            std::thread::spawn(move || {
                go.wait();
                wrong_sign_in(&agent, &url, i)
            })
        })
        .collect();
    let mut peak_threads = 0;
    let mut answers = Vec::new();
    for t in threads {
        peak_threads = peak_threads.max(status(pid, "Threads"));
        answers.push(t.join().unwrap());
    }
    let (rss, hwm) = (status(pid, "VmRSS"), status(pid, "VmHWM"));
    let evaluated = answers.iter().filter(|(c, _)| *c == 401).count();
    let busy: Vec<_> = answers.iter().filter(|(c, _)| *c == 503).collect();
    eprintln!(
        "200 concurrent sign-ins: {evaluated} evaluated (401), {} told to retry (503); \
         VmRSS {before} kB before, {rss} kB after, VmHWM {hwm} kB; up to {peak_threads} threads",
        busy.len()
    );
    assert_eq!(evaluated + busy.len(), n, "only 401 and 503: {answers:?}");
    assert!(evaluated > 0);
    for (_, retry) in &busy {
        let (after, body) = retry.as_ref().expect("503 carries Retry-After");
        assert!(after.parse::<u64>().unwrap() >= 1);
        assert!(
            body.contains("\"retry_after\"") && body.contains("\"zh\""),
            "{body}"
        );
    }
    assert!(hwm < 300 * 1024, "peak resident {hwm} kB");
    drop(server);
}
