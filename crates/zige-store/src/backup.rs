//! Backups: every table (but sessions and login failures) and every
//! evidence file, read in one transaction so the copy is consistent while
//! the server keeps running, written as JSON lines. The same file restores
//! into either backend, so it also moves a deployment from SQLite to
//! PostgreSQL.

use std::io::{BufRead, Write};

use base64::Engine;
use serde_json::{json, Value};

use crate::sql::{Backend, Get};
use crate::{Blobs, Store, StoreError};

#[derive(Clone, Copy)]
enum Kind {
    Int,
    OptInt,
    Text,
    OptText,
    Blob,
}
use Kind::*;

/// Tables in the order they restore (parents first), with their columns.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "users",
        &[
            ("id", Int),
            ("email", Text),
            ("name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("created_at", Int),
            ("disabled", Int),
            ("email_verified_at", OptInt),
            ("language", OptText),
            ("digest", Int),
        ],
    ),
    (
        "second_factors",
        &[
            ("user_id", Int),
            ("secret", Blob),
            ("enabled", Int),
            ("last_step", Int),
            ("created_at", Int),
            ("enabled_at", OptInt),
        ],
    ),
    (
        "recovery_codes",
        &[("user_id", Int), ("code_hash", Text), ("used_at", OptInt)],
    ),
    (
        "applications",
        &[
            ("id", Int),
            ("applicant_id", Int),
            ("state", Text),
            ("entry_code", OptText),
            ("entry_list", OptText),
            ("catalog", Text),
            ("form", Text),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("submitted_at", OptInt),
            ("first_submitted_at", OptInt),
            ("stats_month", OptText),
            ("stats_catalog", OptText),
            ("stats_entry", OptText),
            ("nationality", OptText),
            ("asked_more", Int),
            ("demo", Int),
            ("assigned_to", OptInt),
        ],
    ),
    (
        "events",
        &[
            ("id", Int),
            ("application_id", Int),
            ("at", Int),
            ("actor_id", OptInt),
            ("action", Text),
            ("from_state", OptText),
            ("to_state", Text),
            ("reason", Text),
        ],
    ),
    (
        "evidence",
        &[
            ("id", Int),
            ("application_id", Int),
            ("sha256", Text),
            ("media_type", Text),
            ("size", Int),
            ("name", Text),
            ("uploaded_at", Int),
        ],
    ),
    (
        "decisions",
        &[
            ("id", Int),
            ("application_id", Int),
            ("number", Text),
            ("code", Text),
            ("holder_name", Text),
            ("signed", Text),
            ("issued_at", Int),
            ("revoked_at", OptInt),
            ("revoked_by", OptInt),
            ("revoked_reason", OptText),
        ],
    ),
    (
        "signing_keys",
        &[
            ("id", Text),
            ("secret", Blob),
            ("public", Blob),
            ("created_at", Int),
            ("retired_at", OptInt),
        ],
    ),
    ("counters", &[("name", Text), ("value", Int)]),
    (
        "audit",
        &[
            ("seq", Int),
            ("at", Int),
            ("actor_id", OptInt),
            ("action", Text),
            ("subject", Text),
            ("detail", Text),
            ("prev_hash", Text),
            ("hash", Text),
        ],
    ),
    ("audit_head", &[("id", Int), ("seq", Int), ("hash", Text)]),
    (
        "audit_pending",
        &[
            ("id", Int),
            ("at", Int),
            ("actor_id", OptInt),
            ("action", Text),
            ("subject", Text),
            ("detail", Text),
        ],
    ),
    (
        "outbox",
        &[
            ("id", Int),
            ("kind", Text),
            ("user_id", OptInt),
            ("recipient", Text),
            ("language", OptText),
            ("params", Text),
            ("once_key", OptText),
            ("created_at", Int),
            ("status", Text),
            ("attempts", Int),
            ("next_attempt_at", Int),
            ("claimed_until", Int),
            ("last_error", Text),
            ("sent_at", OptInt),
        ],
    ),
    (
        "editions",
        &[
            ("id", Text),
            ("jurisdiction", Text),
            ("version", Text),
            ("status", Text),
            ("text", Text),
            ("overlay", Text),
            ("effective_from", OptText),
            ("imported_at", Int),
            ("imported_by", OptInt),
            ("published_at", OptInt),
            ("published_by", OptInt),
        ],
    ),
    (
        "case_notes",
        &[
            ("id", Int),
            ("application_id", Int),
            ("author_id", Int),
            ("body", Text),
            ("created_at", Int),
        ],
    ),
    (
        "reason_templates",
        &[
            ("id", Int),
            ("version", Int),
            ("outcome", Text),
            ("title_zh", Text),
            ("title_en", Text),
            ("text_zh", Text),
            ("text_en", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    ),
    (
        "edition_overlays",
        &[
            ("id", Int),
            ("edition", Text),
            ("overlay", Text),
            ("author", OptInt),
            ("at", Int),
            ("note", Text),
        ],
    ),
];

/// Tables whose rows the migrations create: replaced, not added to.
const SEEDED: &[&str] = &["counters", "audit_head"];
/// Tables with a generated id to move past the restored ones (PostgreSQL).
const SERIAL: &[&str] = &[
    "users",
    "applications",
    "events",
    "evidence",
    "decisions",
    "edition_overlays",
    "outbox",
    "case_notes",
    "reason_templates",
    "audit_pending",
];

pub const FORMAT: &str = "zige-backup/1";

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn value_of(r: &impl Get, col: &str, kind: Kind) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        Int => json!(r.int(col)?),
        OptInt => json!(r.opt_int(col)?),
        Text => json!(r.text(col)?),
        OptText => json!(r.opt_text(col)?),
        Blob => json!(b64().encode(r.bytes(col)?)),
    })
}

fn bad(line: usize, what: impl std::fmt::Display) -> StoreError {
    StoreError::Backup(format!("line {line}: {what}"))
}

/// What a backup or restore carried.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupSummary {
    pub rows: usize,
    pub files: usize,
}

macro_rules! bind_all {
    ($q:expr, $cols:expr, $vals:expr, $line:expr) => {{
        let mut q = $q;
        for ((col, kind), v) in $cols.iter().zip($vals) {
            q = match kind {
                Int | OptInt => q.bind(if v.is_null() {
                    None
                } else {
                    Some(
                        v.as_i64()
                            .ok_or_else(|| bad($line, format!("{col}: not a whole number")))?,
                    )
                }),
                Text | OptText => q.bind(if v.is_null() {
                    None
                } else {
                    Some(
                        v.as_str()
                            .ok_or_else(|| bad($line, format!("{col}: not text")))?
                            .to_string(),
                    )
                }),
                Blob => q.bind(
                    b64()
                        .decode(v.as_str().unwrap_or(""))
                        .map_err(|e| bad($line, format!("{col}: {e}")))?,
                ),
            };
        }
        q
    }};
}

/// Loads the lines after the header into the transaction `$tx`: rows
/// into their tables (seeded tables cleared first), evidence files
/// checked against their hashes and collected for the blob store.
macro_rules! load_lines {
    ($tx:ident, $lines:ident, $files:ident, $seeded_cleared:ident, $summary:ident) => {
        for (n, line) in $lines {
            let n = n + 1;
            let line = line.map_err(|e| bad(n, e))?;
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(&line).map_err(|e| bad(n, e))?;
            if let Some(h) = v["blob"].as_str() {
                let data = b64()
                    .decode(v["data"].as_str().unwrap_or(""))
                    .map_err(|e| bad(n, e))?;
                if zige_cases::sha256_hex(&data) != h {
                    return Err(bad(
                        n,
                        format!("evidence {h}: content does not match its hash"),
                    ));
                }
                $files.push((h.to_string(), data));
                continue;
            }
            let table = v["table"].as_str().unwrap_or("");
            let (_, cols) = TABLES
                .iter()
                .find(|t| t.0 == table)
                .ok_or_else(|| bad(n, format!("unknown table '{table}'")))?;
            // A backup of an older schema lacks the columns added since
            // (at the end of their table's list): they take their defaults.
            let vals = v["row"]
                .as_array()
                .filter(|r| !r.is_empty() && r.len() <= cols.len())
                .ok_or_else(|| bad(n, format!("{table}: expected {} values", cols.len())))?;
            let cols = &cols[..vals.len()];
            if SEEDED.contains(&table) && !$seeded_cleared.iter().any(|t| t == table) {
                sqlx::query(&format!("DELETE FROM {table}"))
                    .execute(&mut *$tx)
                    .await?;
                $seeded_cleared.push(table.to_string());
            }
            let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
            let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                marks.join(", ")
            );
            let q = bind_all!(sqlx::query(&sql), cols, vals, n);
            q.execute(&mut *$tx).await?;
            $summary.rows += 1;
        }
    };
}

impl Store {
    /// Writes a consistent copy of the database and the evidence files.
    pub async fn backup(
        &self,
        blobs: &Blobs,
        out: &mut (dyn Write + Send),
    ) -> Result<BackupSummary, StoreError> {
        let io = |e: std::io::Error| StoreError::Backup(e.to_string());
        // Records written meanwhile stay pending and are copied as such.
        self.seal_audit().await?;
        let version = self.schema_version().await?;
        writeln!(
            out,
            "{}",
            json!({"format": FORMAT, "schema": version, "backend": self.backend()})
        )
        .map_err(io)?;
        let mut summary = BackupSummary::default();
        let mut hashes = Vec::new();
        macro_rules! dump {
            ($tx:ident) => {
                for (table, cols) in TABLES {
                    let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
                    let q = format!("SELECT {} FROM {table} ORDER BY 1", names.join(", "));
                    for r in sqlx::query(&q).fetch_all(&mut *$tx).await? {
                        let row = cols.iter().map(|(c, k)| value_of(&r, c, *k)).collect::<Result<Vec<_>, _>>()?;
                        if *table == "evidence" {
                            hashes.push(r.text("sha256")?);
                        }
                        writeln!(out, "{}", json!({"table": table, "row": row})).map_err(io)?;
                        summary.rows += 1;
                    }
                }
            };
        }
        match &self.backend {
            Backend::Sqlite { read, .. } => {
                let mut tx = read.begin().await?;
                dump!(tx);
                tx.commit().await?;
            }
            Backend::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .execute(&mut *tx)
                    .await?;
                dump!(tx);
                tx.commit().await?;
            }
        }
        hashes.sort();
        hashes.dedup();
        for h in hashes {
            let data = blobs.get(&h).await?;
            writeln!(out, "{}", json!({"blob": h, "data": b64().encode(&data)})).map_err(io)?;
            summary.files += 1;
        }
        out.flush().map_err(io)?;
        Ok(summary)
    }

    /// Restores a backup into this database, which must hold no accounts
    /// yet (freshly migrated), and its evidence files into `blobs`. One
    /// transaction: a bad file changes nothing in the database.
    pub async fn restore(
        &self,
        blobs: &Blobs,
        input: impl BufRead,
    ) -> Result<BackupSummary, StoreError> {
        let mut lines = input.lines().enumerate();
        let (_, head) = lines.next().ok_or_else(|| bad(1, "the file is empty"))?;
        self.check_backup_header(&head.map_err(|e| bad(1, e))?)
            .await?;
        self.check_no_accounts().await?;
        let mut summary = BackupSummary::default();
        let mut files = Vec::new();
        let mut seeded_cleared: Vec<String> = Vec::new();
        match &self.backend {
            Backend::Sqlite { write, .. } => {
                let mut tx = write.begin().await?;
                load_lines!(tx, lines, files, seeded_cleared, summary);
                tx.commit().await?;
            }
            Backend::Postgres(p) => {
                let mut tx = p.begin().await?;
                load_lines!(tx, lines, files, seeded_cleared, summary);
                for t in SERIAL {
                    sqlx::query(&format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {t}), 1))")).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
        }
        for (h, data) in files {
            blobs.put(&h, data.into()).await?;
            summary.files += 1;
        }
        // Certificate keys are derived, not backed up: keyed again.
        self.execute_admin("UPDATE zige_meta SET value = 'fill' WHERE key = 'certificate_keys'")
            .await?;
        self.fill_certificate_keys_if_asked().await?;
        // The statistics are counted again from the restored timelines.
        self.execute_admin("UPDATE zige_meta SET value = 'rebuild' WHERE key = 'statistics'")
            .await?;
        self.rebuild_statistics_if_asked().await?;
        Ok(summary)
    }

    /// The first line of a backup: its format, and a schema no newer than
    /// this database's.
    async fn check_backup_header(&self, line: &str) -> Result<(), StoreError> {
        let head: Value = serde_json::from_str(line).map_err(|e| bad(1, e))?;
        if head["format"] != FORMAT {
            return Err(bad(
                1,
                format!(
                    "not a Zige backup (format {}; expected {FORMAT})",
                    head["format"]
                ),
            ));
        }
        if head["schema"].as_i64() > Some(self.schema_version().await?) {
            return Err(bad(1, "the backup comes from a newer Zige; upgrade first"));
        }
        Ok(())
    }

    /// A backup is restored only into a database without accounts.
    async fn check_no_accounts(&self) -> Result<(), StoreError> {
        let users: i64 = match &self.backend {
            Backend::Sqlite { read, .. } => {
                sqlx::query_scalar("SELECT COUNT(*) FROM users")
                    .fetch_one(read)
                    .await?
            }
            Backend::Postgres(p) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM users")
                    .fetch_one(p)
                    .await?
            }
        };
        if users > 0 {
            return Err(StoreError::Backup("the database already holds accounts: restore into an empty data directory or database".into()));
        }
        Ok(())
    }
}
