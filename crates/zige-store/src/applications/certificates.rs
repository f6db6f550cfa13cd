//! The same certificate in two applications: each application keeps its
//! certificate's key (`ApplicationForm::certificate_key`), and a case
//! finds the other submitted applications with the same key.

use futures::TryStreamExt;
use zige_cases::{ApplicationForm, State};

use crate::sql::{in_tx, read_all, Get};
use crate::{Store, StoreError};

use super::state_of;

/// The most other applications a case lists.
const MOST_LISTED: i64 = 20;

/// Another application naming the same certificate.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SameCertificate {
    pub id: i64,
    pub state: State,
    pub applicant_email: String,
    pub submitted_at: Option<i64>,
}

/// The key of the certificate in a form's JSON, when it names one.
pub(crate) fn certificate_key_of(form: &str) -> Option<String> {
    serde_json::from_str::<ApplicationForm>(form)
        .ok()?
        .certificate_key()
}

fn same_from(r: &impl Get) -> Result<SameCertificate, sqlx::Error> {
    Ok(SameCertificate {
        id: r.int("id")?,
        state: state_of(&r.text("state")?)?,
        applicant_email: r.text("email")?,
        submitted_at: r.opt_int("submitted_at")?,
    })
}

impl Store {
    /// The other applications, past their draft, that name the same
    /// certificate as application `id` (its issuer and number), oldest first.
    pub async fn same_certificate(&self, id: i64) -> Result<Vec<SameCertificate>, StoreError> {
        let q = "SELECT a.id, a.state, a.submitted_at, u.email FROM applications a JOIN users u ON u.id = a.applicant_id \
                 WHERE a.certificate_key = (SELECT certificate_key FROM applications WHERE id = $1) \
                 AND a.id <> $1 AND a.state <> 'draft' AND a.demo = 0 ORDER BY a.id LIMIT $2";
        read_all!(self, q, same_from, id, MOST_LISTED)
    }

    /// Keys the certificates of applications saved before keys were kept,
    /// once, when the migration asked for it.
    pub(crate) async fn fill_certificate_keys_if_asked(&self) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let claimed = sqlx::query("UPDATE zige_meta SET value = 'done' WHERE key = 'certificate_keys' AND value = 'fill'")
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if claimed > 0 {
                let mut keyed: Vec<(i64, String)> = Vec::new();
                {
                    let mut rows = sqlx::query("SELECT id, form FROM applications WHERE certificate_key IS NULL AND demo = 0")
                        .fetch(&mut *tx);
                    while let Some(r) = rows.try_next().await? {
                        if let Some(key) = certificate_key_of(&r.text("form")?) {
                            keyed.push((r.int("id")?, key));
                        }
                    }
                }
                for (id, key) in keyed {
                    sqlx::query("UPDATE applications SET certificate_key = $1 WHERE id = $2")
                        .bind(key)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        });
        Ok(())
    }
}
