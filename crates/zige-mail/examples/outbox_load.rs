//! The outbox's speed against a real local SMTP server (aiosmtpd):
//! messages delivered per second from a burst, and the delay from a
//! message's commit to its receipt (p50, p99) at a steady rate, on
//! SQLite in a temporary directory.
//!
//!     cargo run --release -p zige-mail --features sink --example outbox_load -- [BURST] [RATE_PER_S] [SECONDS]

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;
use zige_mail::sink::MailSink;
use zige_mail::{Schedule, Sender, SmtpSettings, Words};
use zige_store::{mail_kind, NewMail, Store};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Queues the receipts of applications `numbers`.
async fn queue(store: &Store, user: i64, numbers: std::ops::Range<usize>) {
    for i in numbers {
        let mail = NewMail::new(
            mail_kind::SUBMITTED,
            user,
            json!({"application": i, "catalog": "beijing/3.0", "resubmitted": false}),
            now_ms(),
        );
        store.queue_mail(&mail).await.unwrap();
    }
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (burst, rate, seconds) = (
        *args.first().unwrap_or(&1000),
        *args.get(1).unwrap_or(&50),
        *args.get(2).unwrap_or(&10),
    );
    let dir = std::env::temp_dir().join(format!("zige-outbox-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&dir.join("data"), None).await.unwrap();
    store.migrate().await.unwrap();
    let user = store
        .create_user(
            "load@example.org",
            "Load",
            zige_cases::Role::Reviewer,
            "h",
            now_ms(),
            None,
        )
        .await
        .unwrap();
    let sink = MailSink::start_in(&dir.join("inbox"), Duration::ZERO);
    let transport = SmtpSettings::parse(&sink.url(), None)
        .unwrap()
        .transport()
        .unwrap();
    let wake = Arc::new(tokio::sync::Notify::new());
    let words = Words {
        public_url: "https://zige.example.org".into(),
        zone: jiff::tz::TimeZone::get("Asia/Shanghai").unwrap(),
        lapse_ms: 30 * 86_400_000,
    };
    let from = zige_mail::parse_from("Zige <noreply@zige.example.org>").unwrap();

    // A burst: queued first, then delivered by one sender.
    queue(&store, user.id, 0..burst).await;
    let start = Instant::now();
    let sender = Sender::new(
        store.clone(),
        Some(transport),
        from,
        words,
        Schedule::default(),
        wake.clone(),
    );
    tokio::spawn(sender.run());
    while count(&sink.dir) < burst {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = start.elapsed();
    println!(
        "burst: {burst} messages delivered in {:.2} s: {:.0} messages/s",
        took.as_secs_f64(),
        burst as f64 / took.as_secs_f64()
    );

    // A steady rate: each message committed, the sender woken (as a
    // request's change does), the delay from commit to receipt measured
    // per message (its number is in the subject, the receipt time is the
    // sink's file time).
    let total = rate * seconds;
    let gap = Duration::from_secs_f64(1.0 / rate as f64);
    let mut committed = Vec::with_capacity(total);
    for k in 0..total {
        let t = Instant::now();
        queue(&store, user.id, STEADY + k..STEADY + k + 1).await;
        committed.push(now_ms());
        wake.notify_one();
        tokio::time::sleep(gap.saturating_sub(t.elapsed())).await;
    }
    while count(&sink.dir) < burst + total {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut delays: Vec<i64> = Vec::with_capacity(total);
    for entry in std::fs::read_dir(&sink.dir).unwrap().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|x| x != "json") {
            continue;
        }
        let at = entry.metadata().unwrap().modified().unwrap();
        let at = at.duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
        let message: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(entry.path()).unwrap()).unwrap();
        let number: Option<usize> = message["subject"]
            .as_str()
            .and_then(|s| s.rsplit(' ').next())
            .and_then(|n| n.parse().ok());
        if let Some(k) = number.and_then(|n| n.checked_sub(STEADY)) {
            delays.push(at - committed[k]);
        }
    }
    delays.sort();
    println!(
        "steady: {} messages at {rate}/s: commit to receipt p50 {} ms, p99 {} ms, max {} ms",
        delays.len(),
        percentile(&delays, 0.50),
        percentile(&delays, 0.99),
        delays[delays.len() - 1]
    );
    drop(sink);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The steady messages' numbers start here, apart from the burst's.
const STEADY: usize = 1_000_000;

fn count(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .count()
        })
        .unwrap_or(0)
}
