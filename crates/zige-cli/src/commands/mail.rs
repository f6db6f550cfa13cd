//! `zige mail list`: the outbox, newest first, so an operator without
//! the admin pages (or without a mail server yet) sees what waits.

use clap::Subcommand;
use zige_store::{MailFilter, MailStatus, Store};
use zige_web::config::Config;

use crate::failure::{Failure, Out};
use crate::store::{with_store, StoreArgs};

#[derive(Subcommand)]
pub(crate) enum MailCommand {
    /// List messages: queued, sent and failed, with attempts and the last error.
    List {
        /// Only messages with this status: queued, sent or failed.
        #[arg(long)]
        status: Option<String>,
        /// At most this many, newest first.
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub(crate) fn run(command: MailCommand) -> Out {
    let MailCommand::List {
        status,
        limit,
        json,
        store,
    } = command;
    let status = match status.as_deref() {
        None => None,
        Some(text) => Some(MailStatus::parse(text).ok_or_else(|| {
            Failure::Input(format!(
                "status: '{text}' is not allowed; allowed: queued, sent, failed"
            ))
        })?),
    };
    if !(1..=10_000).contains(&limit) {
        return Err(Failure::Input(format!(
            "limit: '{limit}' is not allowed; allowed: a whole number from 1 to 10000"
        )));
    }
    with_store(&store, async |store: &Store, _: &Config| {
        let filter = MailFilter {
            status,
            limit,
            offset: 0,
        };
        let messages = store.mail_log(&filter).await?;
        for m in &messages {
            if json {
                let line = serde_json::json!({
                    "id": m.id, "kind": m.kind, "recipient": m.recipient,
                    "status": m.status.code(), "attempts": m.attempts,
                    "last_error": m.last_error, "created_at": m.created_at, "sent_at": m.sent_at,
                });
                println!("{line}");
            } else {
                let error = if m.last_error.is_empty() {
                    String::new()
                } else {
                    format!("  {}", m.last_error)
                };
                println!(
                    "{:>6}  {}  {:<8} {:<20} {:<32} attempts {}{error}",
                    m.id,
                    crate::web::iso(m.created_at),
                    m.status.code(),
                    m.kind,
                    m.recipient,
                    m.attempts
                );
            }
        }
        if !json {
            let counts = store.mail_counts().await?;
            let summary: Vec<String> = counts
                .iter()
                .map(|(s, n)| format!("{n} {}", s.code()))
                .collect();
            println!("{}", summary.join(", "));
        }
        Ok(())
    })
}
