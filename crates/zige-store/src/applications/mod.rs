//! Applications: drafts and their edits, evidence records, the state
//! changes (submit, withdraw, decide) with their timeline, and the review
//! queue.

mod assignment;
mod certificates;
mod drafts;
mod events;
mod evidence;
mod notes;
mod review_queue;
mod transitions;

pub use assignment::Holding;
pub use certificates::SameCertificate;
pub(crate) use events::{event_and_audit, NewEvent, EVENT_AND_AUDIT, EVENT_ONLY};
pub use evidence::Evidence;
pub use notes::Note;
pub use review_queue::{QueueFilter, QueueItem};
pub use transitions::{Change, Event};

use zige_cases::State;

use crate::sql::{corrupt, Get};

/// An application as stored. `form` is the applicant's form as JSON.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Application {
    pub id: i64,
    pub applicant_id: i64,
    pub state: State,
    pub entry_code: Option<String>,
    pub entry_list: Option<String>,
    pub catalog: String,
    pub form: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    /// The reviewer the case is assigned to, while it waits.
    pub assigned_to: Option<i64>,
}

const APP_COLS: &str = "id, applicant_id, state, entry_code, entry_list, catalog, form, version, created_at, updated_at, submitted_at, assigned_to";

fn state_of(s: &str) -> Result<State, sqlx::Error> {
    State::parse(s).map_err(|_| corrupt("state", s))
}

fn app_from(r: &impl Get) -> Result<Application, sqlx::Error> {
    Ok(Application {
        id: r.int("id")?,
        applicant_id: r.int("applicant_id")?,
        state: state_of(&r.text("state")?)?,
        entry_code: r.opt_text("entry_code")?,
        entry_list: r.opt_text("entry_list")?,
        catalog: r.text("catalog")?,
        form: r.text("form")?,
        version: r.int("version")?,
        created_at: r.int("created_at")?,
        updated_at: r.int("updated_at")?,
        submitted_at: r.opt_int("submitted_at")?,
        assigned_to: r.opt_int("assigned_to")?,
    })
}
