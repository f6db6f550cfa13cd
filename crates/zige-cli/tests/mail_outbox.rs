//! The outbox through real `zige serve` processes and a real SMTP server
//! (aiosmtpd), on SQLite and PostgreSQL: messages queued while no mail
//! server is configured survive a SIGKILL and go out after the restart;
//! a server killed while the mail server holds a message unconfirmed
//! sends it again after the restart, with the same Message-ID, and no
//! message is lost.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use zige_mail::sink::MailSink;

use common::client::Client;
use common::postgres::{database_or_skip, drop_database};
use common::run::zige;
use common::server::{Serve, Server};
use common::temp::TempDir;

const PEOPLE: [&str; 3] = ["wai@example.org", "wen@example.org", "wu@example.org"];

fn start(data_dir: &Path, database_url: Option<&str>, smtp: Option<&str>) -> Server {
    let mut serve = Serve::new(data_dir).database_url(database_url);
    if let Some(url) = smtp {
        serve = serve.args(&[
            "--smtp-url",
            url,
            "--mail-from",
            "Zige <noreply@zige.example.org>",
        ]);
    }
    serve.start()
}

/// `zige mail list --json` lines with this status.
fn listed(data_dir: &Path, database_url: Option<&str>, status: &str) -> usize {
    let dir = data_dir.to_str().unwrap();
    let mut args = vec![
        "mail",
        "list",
        "--json",
        "--status",
        status,
        "--data-dir",
        dir,
    ];
    if let Some(url) = database_url {
        args.extend(["--database-url", url]);
    }
    let out = zige(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).lines().count()
}

fn outbox_survives_kill_9(data_dir: &Path, database_url: Option<&str>) {
    if !MailSink::available() {
        return;
    }
    // No mail server yet: the verification mails wait in the outbox.
    let server = start(data_dir, database_url, None);
    for email in PEOPLE {
        let (status, body) = Client::new(&server.base, Duration::from_secs(20)).register(email);
        assert_eq!(status, 202, "{body}");
    }
    assert_eq!(listed(data_dir, database_url, "queued"), 3);
    server.kill9();

    // A mail server that stores each message, then waits 3 s before
    // confirming it: the server is killed with messages received but
    // not confirmed.
    let inbox = data_dir.join("inbox");
    let slow = MailSink::start_in(&inbox, Duration::from_secs(3));
    let server = start(data_dir, database_url, Some(&slow.url()));
    let first = slow.wait_for(1, |_| true);
    assert!(!first.is_empty(), "delivery started");
    server.kill9();
    drop(slow);

    // After the restart every message arrives; one sent twice keeps its Message-ID.
    let sink = MailSink::start_in(&inbox, Duration::ZERO);
    let server = start(data_dir, database_url, Some(&sink.url()));
    // The killed process's claims lapse after 30 s: then the messages it
    // held go out again, and are recorded as sent.
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    while listed(data_dir, database_url, "sent") < PEOPLE.len()
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(250));
    }
    assert_eq!(listed(data_dir, database_url, "sent"), PEOPLE.len());
    assert_eq!(listed(data_dir, database_url, "queued"), 0);
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for message in sink.received() {
        assert_eq!(message.rcpt.len(), 1);
        ids.entry(message.rcpt[0].clone())
            .or_default()
            .push(message.message_id.clone());
    }
    assert_eq!(ids.len(), PEOPLE.len(), "{ids:?}");
    for (email, sent) in &ids {
        assert!(
            sent.iter().all(|id| id == &sent[0]),
            "{email} got different Message-IDs: {sent:?}"
        );
        assert!(sent.len() <= 2, "{email}: {sent:?}");
    }
    let resent = ids.values().filter(|sent| sent.len() == 2).count();
    eprintln!(
        "{resent} of {} messages were received before the kill and sent again",
        PEOPLE.len()
    );
    server.stop();
}

#[test]
fn queued_mail_survives_kill_9_and_is_resent_with_its_message_id_on_sqlite() {
    let dir = TempDir::new("mail-crash-sqlite");
    outbox_survives_kill_9(dir.path(), None);
}

#[test]
fn queued_mail_survives_kill_9_and_is_resent_with_its_message_id_on_postgres() {
    let Some(url) = database_or_skip("mailcrash") else {
        return;
    };
    let dir = TempDir::new("mail-crash-pg");
    outbox_survives_kill_9(dir.path(), Some(&url));
    drop_database(&url);
}

#[test]
fn a_rejected_mail_list_filter_exits_with_status_2() {
    let dir = TempDir::new("mail-list-bad");
    let out = zige(&[
        "mail",
        "list",
        "--status",
        "lost",
        "--data-dir",
        dir.as_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("status") && err.contains("lost") && err.contains("queued, sent, failed"),
        "{err}"
    );
}
