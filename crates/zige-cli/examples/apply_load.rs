//! Load generator for recognition applications: concurrent applicants
//! register (set-up, timed apart), then each loops create → upload
//! evidence → submit against a running server for a fixed time.
//! Prints submissions per second, latency percentiles per step, errors,
//! and checks afterwards that every acknowledged submission is stored.
//!
//! cargo run --release -p zige-cli --example apply_load -- URL CLIENTS SECONDS

use std::time::{Duration, Instant};

use serde_json::{json, Value};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

struct Stats {
    submitted: Vec<i64>,
    create: Vec<f64>,
    upload: Vec<f64>,
    submit: Vec<f64>,
    errors: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let clients: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(8);
    let seconds: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let run = std::process::id();
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .max_idle_connections_per_host(clients * 2)
        .build();

    // Set-up: accounts and sessions (argon2id makes these deliberately slow).
    let t = Instant::now();
    let tokens: Vec<String> = (0..clients)
        .map(|i| {
            let email = format!("load{run}-{i}@example.org");
            agent
                .post(&format!("{base}/api/v1/accounts"))
                .send_json(json!({"email": email, "password": "correct horse"}))
                .expect("register");
            let s: Value = agent
                .post(&format!("{base}/api/v1/session"))
                .send_json(json!({"email": email, "password": "correct horse"}))
                .expect("login")
                .into_json()
                .unwrap();
            s["token"].as_str().unwrap().to_string()
        })
        .collect();
    let setup = t.elapsed().as_secs_f64();

    let start = Instant::now();
    let end = start + Duration::from_secs(seconds);
    let threads: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(i, token)| {
            let agent = agent.clone();
            let base = base.clone();
            std::thread::spawn(move || {
                let auth = format!("Bearer {token}");
                let mut st = Stats { submitted: Vec::new(), create: Vec::new(), upload: Vec::new(), submit: Vec::new(), errors: 0 };
                let mut n = 0;
                while Instant::now() < end {
                    n += 1;
                    let form = json!({"holder_name": format!("Load {i}-{n}"), "profile": {"entry": "G7", "age": 40, "beijing_employer": true},
                                      "certificate": {"number": format!("L-{i}-{n}"), "issuer": "CFA Institute", "issued_on": "2020-05-01"}});
                    let t = Instant::now();
                    let Ok(r) = agent.post(&format!("{base}/api/v1/applications")).set("authorization", &auth).send_json(form) else {
                        st.errors += 1;
                        continue;
                    };
                    st.create.push(t.elapsed().as_secs_f64() * 1000.0);
                    let id = r.into_json::<Value>().ok().and_then(|v| v["id"].as_i64()).unwrap_or(0);
                    let boundary = "zigeload";
                    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.pdf\"\r\n\r\n").into_bytes();
                    body.extend_from_slice(PDF);
                    body.extend_from_slice(format!("{i}-{n}\r\n--{boundary}--\r\n").as_bytes());
                    let t = Instant::now();
                    if agent.post(&format!("{base}/api/v1/applications/{id}/evidence")).set("authorization", &auth).set("content-type", &format!("multipart/form-data; boundary={boundary}")).send_bytes(&body).is_err() {
                        st.errors += 1;
                        continue;
                    }
                    st.upload.push(t.elapsed().as_secs_f64() * 1000.0);
                    let t = Instant::now();
                    match agent.post(&format!("{base}/api/v1/applications/{id}/submit")).set("authorization", &auth).call() {
                        Ok(_) => {
                            st.submit.push(t.elapsed().as_secs_f64() * 1000.0);
                            st.submitted.push(id);
                        }
                        Err(_) => st.errors += 1,
                    }
                }
                (token, st)
            })
        })
        .collect();
    let results: Vec<(String, Stats)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let elapsed = start.elapsed().as_secs_f64();

    // Nothing lost: every acknowledged submission reads back as submitted.
    let mut lost = 0;
    for (token, st) in &results {
        for id in &st.submitted {
            let ok = agent
                .get(&format!("{base}/api/v1/applications/{id}"))
                .set("authorization", &format!("Bearer {token}"))
                .call()
                .ok()
                .and_then(|r| r.into_json::<Value>().ok())
                .is_some_and(|v| v["state"] == "submitted");
            if !ok {
                lost += 1;
            }
        }
    }
    let n: usize = results.iter().map(|r| r.1.submitted.len()).sum();
    let errors: usize = results.iter().map(|r| r.1.errors).sum();
    let all = |f: fn(&Stats) -> &Vec<f64>| {
        results
            .iter()
            .flat_map(|r| f(&r.1).iter().copied())
            .collect::<Vec<f64>>()
    };
    let (mut c, mut u, mut s) = (all(|s| &s.create), all(|s| &s.upload), all(|s| &s.submit));
    let mut every: Vec<f64> = c.iter().chain(&u).chain(&s).copied().collect();
    println!(
        "{}",
        json!({
            "clients": clients, "seconds": elapsed, "setup_seconds": setup,
            "submissions": n, "submissions_per_s": n as f64 / elapsed,
            "write_requests_per_s": (c.len() + u.len() + s.len()) as f64 / elapsed,
            "errors": errors, "lost": lost,
            "p50_ms": {"create": pct(&mut c, 0.5), "upload": pct(&mut u, 0.5), "submit": pct(&mut s, 0.5)},
            "p99_ms": {"create": pct(&mut c, 0.99), "upload": pct(&mut u, 0.99), "submit": pct(&mut s, 0.99), "any": pct(&mut every, 0.99)},
        })
    );
}
