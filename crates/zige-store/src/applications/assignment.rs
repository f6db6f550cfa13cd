//! Assigning a waiting case to one reviewer: a reviewer takes a free case
//! (or gives back their own), an admin assigns or releases any. The
//! condition is part of the UPDATE, so two reviewers taking one case at
//! once cannot both have it: the second gets `Conflict`.

use crate::audit::audit;
use crate::sql::in_tx;
use crate::{Store, StoreError};

use super::{app_from, Application, APP_COLS};

/// Who must hold a case for a change of its assignee to go through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// Nobody, or this reviewer already (taking a case).
    FreeOr(i64),
    /// This reviewer (giving a case back).
    HeldBy(i64),
    /// Anybody (an admin).
    Anybody,
}

impl Holding {
    fn parts(self) -> (&'static str, i64) {
        match self {
            Holding::FreeOr(id) => ("free_or", id),
            Holding::HeldBy(id) => ("held_by", id),
            Holding::Anybody => ("any", -1),
        }
    }
}

impl Store {
    /// Assigns waiting case `id` to reviewer `to` (`None`: to nobody) when
    /// `holding` allows it; never to its own applicant, nor to anyone but
    /// an enabled reviewer or admin, nor by its applicant. `Conflict` otherwise, or when the case
    /// no longer waits. Audited.
    pub async fn assign(
        &self,
        id: i64,
        to: Option<i64>,
        holding: Holding,
        actor: i64,
        now: i64,
    ) -> Result<Application, StoreError> {
        let (mode, holder) = holding.parts();
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!(
                "UPDATE applications SET assigned_to = $1 WHERE id = $2 AND state IN ('submitted', 'under_review', 'resubmitted') \
                 AND ($3 = 'any' OR ($3 = 'free_or' AND (assigned_to IS NULL OR assigned_to = $4)) OR ($3 = 'held_by' AND assigned_to = $4)) \
                 AND ($5 < 0 OR (applicant_id <> $5 AND EXISTS (SELECT 1 FROM users u WHERE u.id = $5 AND u.role IN ('reviewer', 'admin') AND u.disabled = 0))) \
                 AND applicant_id <> $6 \
                 RETURNING {APP_COLS}"
            ))
            .bind(to)
            .bind(id)
            .bind(mode)
            .bind(holder)
            .bind(to.unwrap_or(-1))
            .bind(actor)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Conflict)?;
            let detail = to.map_or("to:nobody".to_string(), |r| format!("to:user:{r}"));
            audit!(
                tx,
                now,
                Some(actor),
                "case.assign",
                &format!("application:{id}"),
                &detail
            );
            Ok(app_from(&row)?)
        })
    }
}
