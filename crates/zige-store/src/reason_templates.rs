//! Reason templates kept by admins: added, changed (guarded by the
//! version the admin read) and deleted, each in the audit log; reviewers
//! read them on the decision form.

use zige_cases::decision::Outcome;
use zige_cases::reason_template::ReasonTemplate;

use crate::audit::audit;
use crate::sql::{corrupt, in_tx, read_all, read_opt, why_unchanged, Get};
use crate::{Store, StoreError};

/// A template as kept: its number, its version (1 when added, one more
/// on each change) and when it was last written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedTemplate {
    pub id: i64,
    pub version: i64,
    pub template: ReasonTemplate,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, version, outcome, title_zh, title_en, text_zh, text_en, updated_at";

fn saved_from(r: &impl Get) -> Result<SavedTemplate, sqlx::Error> {
    let outcome = r.text("outcome")?;
    Ok(SavedTemplate {
        id: r.int("id")?,
        version: r.int("version")?,
        template: ReasonTemplate {
            outcome: Outcome::parse(&outcome)
                .ok_or_else(|| corrupt("reason_templates.outcome", &outcome))?,
            title_zh: r.text("title_zh")?,
            title_en: r.text("title_en")?,
            text_zh: r.text("text_zh")?,
            text_en: r.text("text_en")?,
        },
        updated_at: r.int("updated_at")?,
    })
}

impl Store {
    /// Every template, by outcome and then in the order they were added.
    pub async fn reason_templates(&self) -> Result<Vec<SavedTemplate>, StoreError> {
        let q = format!("SELECT {COLUMNS} FROM reason_templates ORDER BY outcome, id");
        read_all!(self, &q, saved_from)
    }

    /// Template `id`, if there is one.
    pub async fn reason_template(&self, id: i64) -> Result<Option<SavedTemplate>, StoreError> {
        let q = format!("SELECT {COLUMNS} FROM reason_templates WHERE id = $1");
        read_opt!(self, &q, saved_from, id)
    }

    /// Adds `template`, written by admin `actor`; its number.
    pub async fn add_reason_template(
        &self,
        template: &ReasonTemplate,
        actor: i64,
        now: i64,
    ) -> Result<i64, StoreError> {
        in_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar("INSERT INTO reason_templates (version, outcome, title_zh, title_en, text_zh, text_en, created_at, updated_at) VALUES (1, $1, $2, $3, $4, $5, $6, $6) RETURNING id")
                .bind(template.outcome.code())
                .bind(&template.title_zh)
                .bind(&template.title_en)
                .bind(&template.text_zh)
                .bind(&template.text_en)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            let detail = format!("{}: {}", template.outcome.code(), template.title_en);
            audit!(
                tx,
                now,
                Some(actor),
                "reason_template.add",
                &format!("reason_template:{id}"),
                &detail
            );
            Ok(id)
        })
    }

    /// Replaces template `id` with `template`, when it is still at
    /// `version` (`Conflict` when someone changed it since, `NotFound`
    /// when there is no such template); its new version.
    pub async fn change_reason_template(
        &self,
        id: i64,
        version: i64,
        template: &ReasonTemplate,
        actor: i64,
        now: i64,
    ) -> Result<i64, StoreError> {
        in_tx!(self, |tx| {
            let changed = sqlx::query("UPDATE reason_templates SET version = version + 1, outcome = $1, title_zh = $2, title_en = $3, text_zh = $4, text_en = $5, updated_at = $6 WHERE id = $7 AND version = $8")
                .bind(template.outcome.code())
                .bind(&template.title_zh)
                .bind(&template.title_en)
                .bind(&template.text_zh)
                .bind(&template.text_en)
                .bind(now)
                .bind(id)
                .bind(version)
                .execute(&mut *tx)
                .await?;
            if changed.rows_affected() == 0 {
                return Err(why_unchanged!(
                    tx,
                    "SELECT 1 FROM reason_templates WHERE id = $1",
                    id
                ));
            }
            let detail = format!("{}: {}", template.outcome.code(), template.title_en);
            audit!(
                tx,
                now,
                Some(actor),
                "reason_template.change",
                &format!("reason_template:{id}"),
                &detail
            );
            Ok(version + 1)
        })
    }

    /// Deletes template `id` (`NotFound` when there is none).
    pub async fn delete_reason_template(
        &self,
        id: i64,
        actor: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let title: Option<String> =
                sqlx::query_scalar("DELETE FROM reason_templates WHERE id = $1 RETURNING title_en")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(title) = title else {
                return Err(StoreError::NotFound);
            };
            audit!(
                tx,
                now,
                Some(actor),
                "reason_template.delete",
                &format!("reason_template:{id}"),
                &title
            );
            Ok(())
        })
    }
}
