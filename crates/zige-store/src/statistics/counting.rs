//! What a state change adds to the counted cells, as plain values: the
//! transaction of the change applies them (`apply_bumps!`), and a rebuild
//! replays every application's timeline through the same function.

use jiff::tz::TimeZone;
use zige_cases::statistics::days_between;
use zige_cases::State;

/// What a submitted application is counted under, fixed at its first
/// submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Counted {
    pub first_submitted_at: i64,
    pub month: String,
    pub catalog: String,
    pub entry: String,
    pub nationality: String,
    pub asked_more: bool,
}

/// One state change of an application.
pub(crate) struct Step<'a> {
    pub from: State,
    pub to: State,
    pub at: i64,
    pub actor: Option<i64>,
    /// The application's edition, entry and form, read at its first
    /// submission.
    pub catalog: &'a str,
    pub entry: &'a str,
    pub form: &'a str,
}

/// One cell to change by `delta` (applications) or by one (decisions and
/// reviewer steps).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Bump {
    Case {
        month: String,
        catalog: String,
        entry: String,
        nationality: String,
        state: &'static str,
        asked_more: i64,
        delta: i64,
    },
    Decision {
        month: String,
        catalog: String,
        entry: String,
        outcome: &'static str,
        days: i64,
        delta: i64,
    },
    Reviewer {
        month: String,
        catalog: String,
        entry: String,
        reviewer: i64,
        step: &'static str,
        delta: i64,
    },
}

impl Bump {
    fn delta_mut(&mut self) -> &mut i64 {
        match self {
            Bump::Case { delta, .. }
            | Bump::Decision { delta, .. }
            | Bump::Reviewer { delta, .. } => delta,
        }
    }
}

/// Bumps added up by cell, for writing many changes at once.
#[derive(Default)]
pub(crate) struct Tally(std::collections::HashMap<Bump, i64>);

impl Tally {
    pub fn add(&mut self, bumps: Vec<Bump>) {
        for mut b in bumps {
            let d = std::mem::take(b.delta_mut());
            *self.0.entry(b).or_default() += d;
        }
    }

    /// One bump per cell, with the sum of its changes.
    pub fn into_bumps(self) -> Vec<Bump> {
        self.0
            .into_iter()
            .filter(|(_, d)| *d != 0)
            .map(|(mut b, d)| {
                *b.delta_mut() = d;
                b
            })
            .collect()
    }
}

/// `YYYY-MM` of the instant `ms` in `zone`.
pub(crate) fn month_of(zone: &TimeZone, ms: i64) -> String {
    let date = jiff::Timestamp::from_millisecond(ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone.clone())
        .date();
    format!("{:04}-{:02}", date.year(), date.month())
}

/// The nationality group a form gives (`foreign`, `chinese`, `hmt`), or
/// `unknown`.
pub(crate) fn nationality_of(form: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(form).unwrap_or_default();
    match value["profile"]["nationality"].as_str() {
        Some(n @ ("foreign" | "chinese" | "hmt")) => n.to_string(),
        _ => "unknown".to_string(),
    }
}

/// The cells `step` changes, given what the application is counted under
/// so far (`None` before its first submission); updates `counted`.
pub(crate) fn bumps(counted: &mut Option<Counted>, step: &Step<'_>, zone: &TimeZone) -> Vec<Bump> {
    let Some(c) = counted else {
        if step.to != State::Submitted {
            return Vec::new();
        }
        let first = Counted {
            first_submitted_at: step.at,
            month: month_of(zone, step.at),
            catalog: step.catalog.to_string(),
            entry: step.entry.to_string(),
            nationality: nationality_of(step.form),
            asked_more: false,
        };
        let bump = case_bump(&first, State::Submitted, 1);
        *counted = Some(first);
        return vec![bump];
    };
    let mut out = vec![case_bump(c, step.from, -1)];
    c.asked_more |= step.to == State::MoreInformation;
    out.push(case_bump(c, step.to, 1));
    let month = month_of(zone, step.at);
    if matches!(step.to, State::Approved | State::Rejected) {
        out.push(Bump::Decision {
            month: month.clone(),
            catalog: c.catalog.clone(),
            entry: c.entry.clone(),
            outcome: step.to.code(),
            days: i64::from(days_between(c.first_submitted_at, step.at)),
            delta: 1,
        });
    }
    if let (Some(reviewer), State::Approved | State::Rejected | State::MoreInformation) =
        (step.actor, step.to)
    {
        out.push(Bump::Reviewer {
            month,
            catalog: c.catalog.clone(),
            entry: c.entry.clone(),
            reviewer,
            step: step.to.code(),
            delta: 1,
        });
    }
    out
}

fn case_bump(c: &Counted, state: State, delta: i64) -> Bump {
    Bump::Case {
        month: c.month.clone(),
        catalog: c.catalog.clone(),
        entry: c.entry.clone(),
        nationality: c.nationality.clone(),
        state: state.code(),
        asked_more: i64::from(c.asked_more),
        delta,
    }
}

/// Applies each bump in the transaction `$tx`: adds to the cell, creating
/// it at zero first.
macro_rules! apply_bumps {
    ($tx:ident, $bumps:expr) => {
        for bump in $bumps {
            match bump {
                $crate::statistics::Bump::Case { month, catalog, entry, nationality, state, asked_more, delta } => {
                    sqlx::query("INSERT INTO stats_cases (month, catalog, entry, nationality, state, asked_more, n) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                                 ON CONFLICT (month, catalog, entry, nationality, state, asked_more) DO UPDATE SET n = stats_cases.n + excluded.n")
                        .bind(month).bind(catalog).bind(entry).bind(nationality).bind(state).bind(asked_more).bind(delta)
                        .execute(&mut *$tx).await?;
                }
                $crate::statistics::Bump::Decision { month, catalog, entry, outcome, days, delta } => {
                    sqlx::query("INSERT INTO stats_decisions (month, catalog, entry, outcome, days, n) VALUES ($1, $2, $3, $4, $5, $6) \
                                 ON CONFLICT (month, catalog, entry, outcome, days) DO UPDATE SET n = stats_decisions.n + excluded.n")
                        .bind(month).bind(catalog).bind(entry).bind(outcome).bind(days).bind(delta)
                        .execute(&mut *$tx).await?;
                }
                $crate::statistics::Bump::Reviewer { month, catalog, entry, reviewer, step, delta } => {
                    sqlx::query("INSERT INTO stats_reviewers (month, catalog, entry, reviewer_id, step, n) VALUES ($1, $2, $3, $4, $5, $6) \
                                 ON CONFLICT (month, catalog, entry, reviewer_id, step) DO UPDATE SET n = stats_reviewers.n + excluded.n")
                        .bind(month).bind(catalog).bind(entry).bind(reviewer).bind(step).bind(delta)
                        .execute(&mut *$tx).await?;
                }
            }
        }
    };
}
pub(crate) use apply_bumps;

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn step(from: State, to: State, at: i64) -> Step<'static> {
        Step {
            from,
            to,
            at,
            actor: Some(7),
            catalog: "beijing/3.0",
            entry: "G7",
            form: r#"{"profile":{"nationality":"hmt"}}"#,
        }
    }

    #[test]
    fn a_case_moves_between_cells_and_its_decision_is_counted_once() {
        let zone = TimeZone::get("Asia/Shanghai").unwrap();
        let mut counted = None;
        // 2026-01-31 20:00 UTC is already February in Beijing.
        let t0 = 1_769_889_600_000;
        assert!(bumps(
            &mut counted,
            &step(State::Draft, State::Withdrawn, t0),
            &zone
        )
        .is_empty());
        let first = bumps(
            &mut counted,
            &step(State::Draft, State::Submitted, t0),
            &zone,
        );
        assert!(
            matches!(&first[..], [Bump::Case { month, nationality, delta: 1, .. }] if month == "2026-02" && nationality == "hmt")
        );
        bumps(
            &mut counted,
            &step(State::Submitted, State::UnderReview, t0 + DAY),
            &zone,
        );
        let asked = bumps(
            &mut counted,
            &step(State::UnderReview, State::MoreInformation, t0 + 2 * DAY),
            &zone,
        );
        assert!(matches!(
            &asked[1],
            Bump::Case {
                state: "more_information",
                asked_more: 1,
                ..
            }
        ));
        assert!(matches!(
            &asked[2],
            Bump::Reviewer {
                step: "more_information",
                reviewer: 7,
                ..
            }
        ));
        let decided = bumps(
            &mut counted,
            &step(State::Resubmitted, State::Approved, t0 + 40 * DAY),
            &zone,
        );
        assert!(matches!(
            &decided[0],
            Bump::Case {
                state: "resubmitted",
                asked_more: 1,
                delta: -1,
                ..
            }
        ));
        assert!(
            matches!(&decided[2], Bump::Decision { month, days: 40, .. } if month == "2026-03")
        );
        // Counted under the month of the first submission throughout.
        assert!(
            matches!(&decided[1], Bump::Case { month, state: "approved", .. } if month == "2026-02")
        );
    }

    #[test]
    fn a_form_without_a_known_nationality_counts_as_unknown() {
        for form in ["", "{}", r#"{"profile":{"nationality":"martian"}}"#] {
            assert_eq!(nationality_of(form), "unknown");
        }
    }
}
