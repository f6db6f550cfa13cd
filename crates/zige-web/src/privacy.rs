//! The privacy notice (`GET /privacy`): what Zige keeps about the people who
//! use it, why, for how long and who sees it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::render::{render, Page, Public};
use crate::state::Shared;

/// The kinds of record the notice describes, in the order a person meets
/// them; each has `privacy-<kind>-{what,why,kept,seen}` messages.
const RECORDS: [&str; 9] = [
    "account",
    "sessions",
    "sign-in",
    "application",
    "evidence",
    "decision",
    "audit",
    "logs",
    "language",
];

/// One row of the notice's table.
pub struct Record {
    pub what: String,
    pub why: String,
    pub kept: String,
    pub seen: String,
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    page: Page,
    records: Vec<Record>,
}

/// Handles `GET /privacy`: the privacy notice.
pub async fn privacy(State(state): State<Shared>, Public(ctx): Public) -> Response {
    let tr = ctx.tr;
    let records = RECORDS
        .iter()
        .map(|kind| Record {
            what: tr.msg(&format!("privacy-{kind}-what")),
            why: tr.msg(&format!("privacy-{kind}-why")),
            kept: tr.msg(&format!("privacy-{kind}-kept")),
            seen: tr.msg(&format!("privacy-{kind}-seen")),
        })
        .collect();
    let page = PrivacyPage {
        page: ctx.page(&state, tr.msg("privacy-title"), "privacy"),
        records,
    };
    render(&page, &ctx, StatusCode::OK)
}
