//! Catalogue editions: imported as drafts, their overlays kept with their
//! history, published from a date in one transaction, or discarded.

use crate::audit::audit;
use crate::mail::{enqueue, kind, NewMail};
use crate::sql::{in_tx, on_read, read_all, why_unchanged, Get};
use crate::{Store, StoreError};

/// A stored catalogue edition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredEdition {
    /// `beijing/3.1`.
    pub id: String,
    pub jurisdiction: String,
    pub version: String,
    /// `draft`, `published` or `discarded`.
    pub status: String,
    pub text: String,
    pub overlay: String,
    pub effective_from: Option<String>,
    pub imported_at: i64,
    pub imported_by: Option<i64>,
    pub published_at: Option<i64>,
    pub published_by: Option<i64>,
}

const EDITION_COLS: &str = "id, jurisdiction, version, status, text, overlay, effective_from, imported_at, imported_by, published_at, published_by";

fn edition_from(r: &impl Get) -> Result<StoredEdition, sqlx::Error> {
    Ok(StoredEdition {
        id: r.text("id")?,
        jurisdiction: r.text("jurisdiction")?,
        version: r.text("version")?,
        status: r.text("status")?,
        text: r.text("text")?,
        overlay: r.text("overlay")?,
        effective_from: r.opt_text("effective_from")?,
        imported_at: r.int("imported_at")?,
        imported_by: r.opt_int("imported_by")?,
        published_at: r.opt_int("published_at")?,
        published_by: r.opt_int("published_by")?,
    })
}

/// One overlay a draft has had.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OverlayChange {
    pub at: i64,
    pub author: Option<i64>,
    pub note: String,
}

impl Store {
    /// Stores an imported text as a draft. A discarded draft of the same
    /// id is replaced; a live draft or published edition is `Duplicate`.
    // Eight plain values the callers already hold; the signature is public API.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_edition(
        &self,
        id: &str,
        jurisdiction: &str,
        version: &str,
        text: &str,
        overlay: &str,
        actor: Option<i64>,
        now: i64,
    ) -> Result<StoredEdition, StoreError> {
        in_tx!(self, |tx| {
            let existing: Option<String> =
                sqlx::query_scalar("SELECT status FROM editions WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            match existing.as_deref() {
                Some("discarded") => {
                    sqlx::query("DELETE FROM editions WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                Some(_) => return Err(StoreError::Duplicate("edition")),
                None => {}
            }
            let row = sqlx::query(&format!("INSERT INTO editions (id, jurisdiction, version, status, text, overlay, imported_at, imported_by) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7) RETURNING {EDITION_COLS}"))
                .bind(id)
                .bind(jurisdiction)
                .bind(version)
                .bind(text)
                .bind(overlay)
                .bind(now)
                .bind(actor)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO edition_overlays (edition, overlay, author, at, note) VALUES ($1, $2, $3, $4, 'imported')").bind(id).bind(overlay).bind(actor).bind(now).execute(&mut *tx).await?;
            audit!(
                tx,
                now,
                actor,
                "edition.import",
                &format!("edition:{id}"),
                ""
            );
            Ok(edition_from(&row)?)
        })
    }

    /// Replaces a draft's overlay, keeping the old one in its history.
    pub async fn set_edition_overlay(
        &self,
        id: &str,
        overlay: &str,
        note: &str,
        actor: Option<i64>,
        now: i64,
    ) -> Result<StoredEdition, StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!("UPDATE editions SET overlay = $1 WHERE id = $2 AND status = 'draft' RETURNING {EDITION_COLS}"))
                .bind(overlay)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Conflict)?;
            sqlx::query("INSERT INTO edition_overlays (edition, overlay, author, at, note) VALUES ($1, $2, $3, $4, $5)").bind(id).bind(overlay).bind(actor).bind(now).bind(note).execute(&mut *tx).await?;
            audit!(
                tx,
                now,
                actor,
                "edition.overlay",
                &format!("edition:{id}"),
                note
            );
            Ok(edition_from(&row)?)
        })
    }

    /// Publishes a draft from `effective` (YYYY-MM-DD), in one transaction.
    pub async fn publish_edition(
        &self,
        id: &str,
        effective: &str,
        actor: Option<i64>,
        now: i64,
    ) -> Result<StoredEdition, StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!("UPDATE editions SET status = 'published', effective_from = $1, published_at = $2, published_by = $3 WHERE id = $4 AND status = 'draft' RETURNING {EDITION_COLS}"))
                .bind(effective)
                .bind(now)
                .bind(actor)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Err(why_unchanged!(
                    tx,
                    "SELECT 1 FROM editions WHERE id = $1",
                    id
                ));
            };
            let admins: Vec<i64> =
                sqlx::query_scalar("SELECT id FROM users WHERE role = 'admin' AND disabled = 0")
                    .fetch_all(&mut *tx)
                    .await?;
            for admin in admins {
                let params = serde_json::json!({"edition": id, "effective": effective});
                enqueue!(
                    tx,
                    &NewMail::new(kind::EDITION_PUBLISHED, admin, params, now)
                );
            }
            audit!(
                tx,
                now,
                actor,
                "edition.publish",
                &format!("edition:{id}"),
                &format!("effective {effective}")
            );
            Ok(edition_from(&row)?)
        })
    }

    /// Discards a draft (it stays on record, marked discarded).
    pub async fn discard_edition(
        &self,
        id: &str,
        actor: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let done = sqlx::query(
                "UPDATE editions SET status = 'discarded' WHERE id = $1 AND status = 'draft'",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(why_unchanged!(
                    tx,
                    "SELECT 1 FROM editions WHERE id = $1",
                    id
                ));
            }
            audit!(
                tx,
                now,
                actor,
                "edition.discard",
                &format!("edition:{id}"),
                ""
            );
        });
        Ok(())
    }

    /// Every stored edition, in import order.
    pub async fn editions(&self) -> Result<Vec<StoredEdition>, StoreError> {
        let q = format!("SELECT {EDITION_COLS} FROM editions ORDER BY imported_at, id");
        read_all!(self, &q, edition_from)
    }

    pub async fn overlay_history(&self, id: &str) -> Result<Vec<OverlayChange>, StoreError> {
        let q = "SELECT at, author, note FROM edition_overlays WHERE edition = $1 ORDER BY id";
        Ok(on_read!(self, |p| {
            let mut out = Vec::new();
            for r in sqlx::query(q).bind(id).fetch_all(p).await? {
                out.push(OverlayChange {
                    at: r.int("at")?,
                    author: r.opt_int("author")?,
                    note: r.text("note")?,
                });
            }
            out
        }))
    }
}
