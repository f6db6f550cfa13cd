//! Reviewers' internal notes on a case: appended, never changed, never
//! shown to the applicant; writing one is audited.

use crate::audit::audit;
use crate::sql::{in_tx, read_all, Get};
use crate::{Store, StoreError};

/// A note as a case lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Note {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub author_email: String,
    pub body: String,
    pub created_at: i64,
}

fn note_from(r: &impl Get) -> Result<Note, sqlx::Error> {
    Ok(Note {
        id: r.int("id")?,
        author_id: r.int("author_id")?,
        author_name: r.text("name")?,
        author_email: r.text("email")?,
        body: r.text("body")?,
        created_at: r.int("created_at")?,
    })
}

impl Store {
    /// Adds a note by `author` to application `id`; its id.
    pub async fn add_note(
        &self,
        id: i64,
        author: i64,
        body: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        in_tx!(self, |tx| {
            let note: i64 = sqlx::query_scalar("INSERT INTO case_notes (application_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(id)
                .bind(author)
                .bind(body)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            audit!(
                tx,
                now,
                Some(author),
                "case.note",
                &format!("application:{id}"),
                &format!("note:{note}")
            );
            Ok(note)
        })
    }

    /// The notes on application `id`, oldest first.
    pub async fn notes(&self, id: i64) -> Result<Vec<Note>, StoreError> {
        let q = "SELECT n.id, n.author_id, u.name, u.email, n.body, n.created_at FROM case_notes n JOIN users u ON u.id = n.author_id WHERE n.application_id = $1 ORDER BY n.id";
        read_all!(self, q, note_from, id)
    }
}
