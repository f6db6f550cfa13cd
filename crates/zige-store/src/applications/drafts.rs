//! Drafts: created (within the open-drafts limit), read, edited under an
//! optimistic version, and deleted while still drafts.

use crate::accounts::lock_user;
use crate::audit::audit;
use crate::sql::{in_tx, read_all, read_opt};
use crate::{Store, StoreError};

use super::certificates::certificate_key_of;
use super::{app_from, event_and_audit, Application, NewEvent, APP_COLS};

impl Store {
    pub async fn create_application(
        &self,
        applicant: i64,
        catalog: &str,
        form: &str,
        entry: (Option<&str>, Option<&str>),
        now: i64,
    ) -> Result<Application, StoreError> {
        let max = self.limits.open_drafts_per_account;
        in_tx!(self, |tx| {
            // The account's row lock (PostgreSQL; SQLite writes one at a
            // time anyway) makes the count and the insert one step.
            lock_user!(tx, applicant);
            let drafts: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM applications WHERE applicant_id = $1 AND state = 'draft'",
            )
            .bind(applicant)
            .fetch_one(&mut *tx)
            .await?;
            if drafts >= max {
                return Err(StoreError::Limit {
                    what: crate::LimitKind::OpenDrafts,
                    max,
                });
            }
            let row = sqlx::query(&format!(
                "INSERT INTO applications (applicant_id, state, entry_code, entry_list, catalog, form, created_at, updated_at, certificate_key) VALUES ($1, 'draft', $2, $3, $4, $5, $6, $6, $7) RETURNING {APP_COLS}"
            ))
            .bind(applicant)
            .bind(entry.0)
            .bind(entry.1)
            .bind(catalog)
            .bind(form)
            .bind(now)
            .bind(certificate_key_of(form))
            .fetch_one(&mut *tx)
            .await?;
            let app = app_from(&row)?;
            event_and_audit!(
                tx,
                &NewEvent {
                    application: app.id,
                    at: now,
                    actor: Some(applicant),
                    action: "create",
                    from: None,
                    to: "draft",
                    reason: "",
                },
                "application.create",
                &format!("application:{}", app.id),
                ""
            );
            Ok(app)
        })
    }

    pub async fn application(&self, id: i64) -> Result<Option<Application>, StoreError> {
        let q = format!("SELECT {APP_COLS} FROM applications WHERE id = $1");
        read_opt!(self, &q, app_from, id)
    }

    pub async fn applications_of(&self, applicant: i64) -> Result<Vec<Application>, StoreError> {
        let q =
            format!("SELECT {APP_COLS} FROM applications WHERE applicant_id = $1 ORDER BY id DESC");
        read_all!(self, &q, app_from, applicant)
    }

    /// Saves the form of an editable application read at `version`;
    /// `Conflict` when it changed since or is no longer editable.
    pub async fn update_form(
        &self,
        id: i64,
        version: i64,
        form: &str,
        entry: (Option<&str>, Option<&str>),
        actor: i64,
        now: i64,
    ) -> Result<Application, StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!(
                "UPDATE applications SET form = $1, entry_code = $2, entry_list = $3, version = version + 1, updated_at = $4, certificate_key = $7 WHERE id = $5 AND version = $6 AND state IN ('draft', 'more_information') RETURNING {APP_COLS}"
            ))
            .bind(form)
            .bind(entry.0)
            .bind(entry.1)
            .bind(now)
            .bind(id)
            .bind(version)
            .bind(certificate_key_of(form))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Conflict)?;
            audit!(
                tx,
                now,
                Some(actor),
                "application.edit",
                &format!("application:{id}"),
                ""
            );
            Ok(app_from(&row)?)
        })
    }

    /// Deletes a draft with its evidence records. The files stay: the
    /// same content may belong to another application, or be on its way
    /// into one; [`Store::sweep_blobs`] removes files no record refers to.
    pub async fn delete_draft(&self, id: i64, actor: i64, now: i64) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let gone = sqlx::query("DELETE FROM applications WHERE id = $1 AND state = 'draft'")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if gone.rows_affected() == 0 {
                return Err(StoreError::Conflict);
            }
            audit!(
                tx,
                now,
                Some(actor),
                "application.delete",
                &format!("application:{id}"),
                ""
            );
        });
        Ok(())
    }
}
