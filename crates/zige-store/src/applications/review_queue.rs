//! The review queue: waiting cases with their filters, oldest submission
//! first; and the record that a reviewer looked at a case.

use zige_cases::State;

use crate::audit::audit;
use crate::sql::{in_tx, on_read, Get};
use crate::{Store, StoreError};

use super::{app_from, Application};

/// The review queue's filters.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Default: every state waiting for a reviewer.
    pub state: Option<State>,
    pub entry_code: Option<String>,
    pub list: Option<String>,
    /// Only cases submitted before this instant (waiting at least so long).
    pub submitted_before: Option<i64>,
    /// The reviewer asking: their own applications are never in their queue.
    pub viewer: Option<i64>,
    /// Only the cases assigned to this reviewer.
    pub assigned_to: Option<i64>,
    /// Only the cases assigned to nobody.
    pub unassigned: bool,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct QueueItem {
    pub application: Application,
    pub applicant_email: String,
    /// The address of the reviewer the case is assigned to.
    pub assignee_email: Option<String>,
}

/// The states the queue shows: the filter's one, or every state waiting
/// for a reviewer.
fn queue_states(filter: &QueueFilter) -> Vec<&'static str> {
    match filter.state {
        Some(s) => vec![s.code()],
        None => State::ALL
            .iter()
            .filter(|s| s.in_queue())
            .map(|s| s.code())
            .collect(),
    }
}

impl Store {
    /// Records that a reviewer looked at a case.
    pub async fn record_view(
        &self,
        application: i64,
        actor: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            audit!(
                tx,
                now,
                Some(actor),
                "case.view",
                &format!("application:{application}"),
                ""
            );
        });
        Ok(())
    }

    /// Waiting cases, oldest submission first, none of them the viewer's own.
    pub async fn queue(&self, filter: &QueueFilter) -> Result<(i64, Vec<QueueItem>), StoreError> {
        let states = queue_states(filter);
        let where_ = "a.state IN ($1, $2, $3) AND ($4 = '' OR a.entry_code = $4) AND ($5 = '' OR a.entry_list = $5) AND ($6 < 0 OR a.submitted_at <= $6) AND a.applicant_id <> $7 AND ($8 < 0 OR a.assigned_to = $8) AND ($9 = 0 OR a.assigned_to IS NULL)";
        let count_q = format!("SELECT COUNT(*) FROM applications a WHERE {where_}");
        let q = format!(
            "SELECT a.id, a.applicant_id, a.state, a.entry_code, a.entry_list, a.catalog, a.form, a.version, a.created_at, a.updated_at, a.submitted_at, a.assigned_to, u.email, COALESCE(r.email, '') AS assignee_email \
             FROM applications a JOIN users u ON u.id = a.applicant_id LEFT JOIN users r ON r.id = a.assigned_to WHERE {where_} ORDER BY a.submitted_at, a.id LIMIT $10 OFFSET $11"
        );
        let st = |i: usize| {
            states
                .get(i)
                .or(states.first())
                .copied()
                .unwrap_or("submitted")
        };
        let entry = filter.entry_code.as_deref().unwrap_or("");
        let list = filter.list.as_deref().unwrap_or("");
        let before = filter.submitted_before.unwrap_or(-1);
        // Ids start at 1: -1 excludes no one.
        let viewer = filter.viewer.unwrap_or(-1);
        let assigned_to = filter.assigned_to.unwrap_or(-1);
        let unassigned = i64::from(filter.unassigned);
        Ok(on_read!(self, |p| {
            let total: i64 = sqlx::query_scalar(&count_q)
                .bind(st(0))
                .bind(st(1))
                .bind(st(2))
                .bind(entry)
                .bind(list)
                .bind(before)
                .bind(viewer)
                .bind(assigned_to)
                .bind(unassigned)
                .fetch_one(p)
                .await?;
            let rows = sqlx::query(&q)
                .bind(st(0))
                .bind(st(1))
                .bind(st(2))
                .bind(entry)
                .bind(list)
                .bind(before)
                .bind(viewer)
                .bind(assigned_to)
                .bind(unassigned)
                .bind(filter.limit.clamp(1, 500))
                .bind(filter.offset.max(0))
                .fetch_all(p)
                .await?;
            let mut items = Vec::new();
            for r in rows {
                items.push(QueueItem {
                    application: app_from(&r)?,
                    applicant_email: r.text("email")?,
                    assignee_email: Some(r.text("assignee_email")?).filter(|e| !e.is_empty()),
                });
            }
            (total, items)
        }))
    }
}
