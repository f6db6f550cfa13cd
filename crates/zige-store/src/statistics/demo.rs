//! Synthetic demo data: applicants, applications and their timelines
//! spread over two years, marked `demo`, counted like real ones. Inserted
//! in chunks of many rows per statement, so a million applications take
//! minutes, not hours.

use zige_cases::{Action, State};

use super::apply_bumps;
use super::counting::{bumps, Counted, Step, Tally};
use crate::audit::audit;
use crate::sql::{in_tx, on_read};
use crate::{Store, StoreError};

const DAY: i64 = 86_400_000;
/// Applications per transaction.
const CHUNK: usize = 10_000;
/// Rows per INSERT statement.
const ROWS: usize = 500;
/// How many demo reviewers decide the demo cases.
const REVIEWERS: usize = 8;

/// What to seed.
#[derive(Debug, Clone)]
pub struct DemoPlan {
    pub applications: u64,
    /// The entries applied for, as (edition, code, list key), most
    /// popular first.
    pub entries: Vec<(String, String, String)>,
    /// The last instant of the two years (ms).
    pub now: i64,
    /// Seeds the pseudo-random choices: the same seed gives the same data.
    pub seed: u64,
    /// Seed even where real applications exist.
    pub force: bool,
}

/// What was seeded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoReport {
    pub applicants: u64,
    pub applications: u64,
    pub decided: u64,
    pub reviewers: u64,
}

/// Why seeding was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RealApplications(pub i64);

/// A small, fast pseudo-random generator (SplitMix64).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One step of a demo timeline.
struct DemoStep {
    at: i64,
    actor: i64,
    action: Action,
    from: State,
    to: State,
}

/// One demo application with its applicant and timeline.
struct DemoCase {
    id: i64,
    applicant: i64,
    catalog: String,
    entry: String,
    list: String,
    form: String,
    steps: Vec<DemoStep>,
    counted: Option<Counted>,
}

impl DemoCase {
    fn state(&self) -> State {
        self.steps.last().map(|s| s.to).unwrap_or(State::Draft)
    }

    fn submitted_at(&self) -> i64 {
        self.steps
            .iter()
            .rev()
            .find(|s| matches!(s.to, State::Submitted | State::Resubmitted))
            .map(|s| s.at)
            .unwrap_or(0)
    }
}

/// Popular entries often, rare ones seldom (weights 1/(rank+1)).
fn pick_entry(rng: &mut Random, weights: &[f64]) -> usize {
    let total = weights.last().copied().unwrap_or(1.0);
    let x = rng.unit() * total;
    weights.partition_point(|w| *w < x).min(weights.len() - 1)
}

fn nationality(rng: &mut Random) -> &'static str {
    match rng.below(100) {
        0..=69 => "foreign",
        70..=89 => "chinese",
        _ => "hmt",
    }
}

/// The timeline of a case first submitted at `t0`, cut at `now`: opened
/// within days, sometimes asked for more, decided (mostly approved) or
/// withdrawn weeks later.
fn timeline(rng: &mut Random, t0: i64, now: i64, applicant: i64, reviewer: i64) -> Vec<DemoStep> {
    let mut steps = Vec::new();
    let mut state = State::Draft;
    let mut step = |at: i64, actor: i64, action: Action, to: State| {
        steps.push(DemoStep {
            at,
            actor,
            action,
            from: state,
            to,
        });
        state = to;
    };
    step(t0, applicant, Action::Submit, State::Submitted);
    let mut at = t0 + (1 + rng.below(3) as i64) * DAY + rng.below(DAY as u64) as i64;
    step(at, reviewer, Action::Open, State::UnderReview);
    if rng.below(100) < 20 {
        at += (2 + rng.below(9) as i64) * DAY;
        step(
            at,
            reviewer,
            Action::RequestInformation,
            State::MoreInformation,
        );
        at += (3 + rng.below(12) as i64) * DAY;
        step(at, applicant, Action::Submit, State::Resubmitted);
    }
    at += (2 + (rng.unit().powi(2) * 50.0) as i64) * DAY;
    match rng.below(100) {
        0..=3 => step(at, applicant, Action::Withdraw, State::Withdrawn),
        4..=19 => step(at, reviewer, Action::Reject, State::Rejected),
        _ => step(at, reviewer, Action::Approve, State::Approved),
    }
    // Times only grow, so what happened by now is a beginning of the timeline.
    steps.retain(|s| s.at <= now);
    steps
}

impl Store {
    /// Seeds demo data as `plan` says; refused (with the number of real
    /// applications) where real applications exist, unless forced.
    pub async fn seed_demo(
        &self,
        plan: &DemoPlan,
    ) -> Result<Result<DemoReport, RealApplications>, StoreError> {
        let real: i64 = on_read!(self, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM applications WHERE demo = 0"
        )
        .fetch_one(p)
        .await?);
        if real > 0 && !plan.force {
            return Ok(Err(RealApplications(real)));
        }
        let reviewers = self.demo_reviewers(plan.now).await?;
        let mut weights = Vec::with_capacity(plan.entries.len());
        let mut sum = 0.0;
        for rank in 0..plan.entries.len() {
            sum += 1.0 / (rank as f64 + 1.0);
            weights.push(sum);
        }
        let mut rng = Random(plan.seed);
        let mut tally = Tally::default();
        let mut report = DemoReport {
            applicants: 0,
            applications: 0,
            decided: 0,
            reviewers: REVIEWERS as u64,
        };
        let mut left = plan.applications;
        while left > 0 {
            let n = left.min(CHUNK as u64) as usize;
            let (first_user, first_app) = self.next_ids().await?;
            let mut cases: Vec<DemoCase> = (0..n)
                .map(|i| {
                    demo_case(
                        &mut rng,
                        plan,
                        &weights,
                        &reviewers,
                        first_user + i as i64,
                        first_app + i as i64,
                    )
                })
                .collect();
            for case in &mut cases {
                for s in &case.steps {
                    let step = Step {
                        from: s.from,
                        to: s.to,
                        at: s.at,
                        actor: Some(s.actor),
                        catalog: &case.catalog,
                        entry: &case.entry,
                        form: &case.form,
                    };
                    tally.add(bumps(&mut case.counted, &step, &self.zone));
                }
                report.decided +=
                    u64::from(matches!(case.state(), State::Approved | State::Rejected));
            }
            self.insert_demo_chunk(&cases, plan.now).await?;
            report.applicants += n as u64;
            report.applications += n as u64;
            left -= n as u64;
        }
        let detail = format!("{} applications", report.applications);
        in_tx!(self, |tx| {
            apply_bumps!(tx, tally.into_bumps());
            audit!(
                tx,
                plan.now,
                None::<i64>,
                "demo.seed",
                "applications",
                &detail
            );
        });
        self.analyze_after_bulk_load().await?;
        Ok(Ok(report))
    }

    /// PostgreSQL: vacuums and analyzes after a bulk load, as autovacuum
    /// would later, so the planner knows the new rows at once and the
    /// statistics' backlog is read from its index alone (index-only scans
    /// need the visibility map a vacuum sets). SQLite plans well without.
    async fn analyze_after_bulk_load(&self) -> Result<(), StoreError> {
        if let crate::sql::Backend::Postgres(pool) = &self.backend {
            sqlx::query(
                "VACUUM (ANALYZE) applications, stats_cases, stats_decisions, stats_reviewers",
            )
            .execute(pool)
            .await?;
        }
        Ok(())
    }

    /// The next free ids of users and applications.
    async fn next_ids(&self) -> Result<(i64, i64), StoreError> {
        Ok(on_read!(self, |p| {
            let u: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM users")
                .fetch_one(p)
                .await?;
            let a: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM applications")
                .fetch_one(p)
                .await?;
            (u, a)
        }))
    }

    /// The demo reviewers' ids, made the first time: accounts that cannot
    /// sign in (disabled, with no usable password).
    async fn demo_reviewers(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        Ok(in_tx!(self, |tx| {
            let mut ids = Vec::new();
            for i in 1..=REVIEWERS {
                let email = format!("demo-reviewer-{i}@demo.invalid");
                sqlx::query("INSERT INTO users (email, name, role, password_hash, created_at, disabled, email_verified_at, digest) VALUES ($1, $2, 'reviewer', '!demo', $3, 1, $3, 0) ON CONFLICT (email) DO NOTHING")
                    .bind(&email)
                    .bind(format!("Demo reviewer {i} / 示例审核员 {i}"))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                    .bind(&email)
                    .fetch_one(&mut *tx)
                    .await?;
                ids.push(id);
            }
            ids
        }))
    }

    /// Inserts one chunk of demo applicants, applications and events in one
    /// transaction, many rows per statement.
    async fn insert_demo_chunk(&self, cases: &[DemoCase], now: i64) -> Result<(), StoreError> {
        let postgres = self.backend() == "postgres";
        in_tx!(self, |tx| {
            for rows in cases.chunks(ROWS) {
                let q = values_sql("INSERT INTO users (id, email, name, created_at, email_verified_at, role, password_hash, disabled, digest) VALUES ", rows.len(), 5, "'applicant', '!demo', 1, 0");
                let mut query = sqlx::query(&q);
                for c in rows {
                    let t = c.steps[0].at;
                    query = query
                        .bind(c.applicant)
                        .bind(format!("demo-{}@demo.invalid", c.applicant))
                        .bind(format!("Demo applicant {}", c.applicant))
                        .bind(t)
                        .bind(t);
                }
                query.execute(&mut *tx).await?;
                let q = values_sql("INSERT INTO applications (id, applicant_id, state, entry_code, entry_list, catalog, form, version, created_at, updated_at, submitted_at, first_submitted_at, stats_month, stats_catalog, stats_entry, nationality, asked_more, demo) VALUES ", rows.len(), 17, "1");
                let mut query = sqlx::query(&q);
                for c in rows {
                    let k = c.counted.as_ref().expect("every demo case is submitted");
                    let last = c.steps.last().map(|s| s.at).unwrap_or(now);
                    query = query
                        .bind(c.id)
                        .bind(c.applicant)
                        .bind(c.state().code())
                        .bind(&c.entry)
                        .bind(&c.list)
                        .bind(&c.catalog)
                        .bind(&c.form)
                        .bind(c.steps.len() as i64)
                        .bind(k.first_submitted_at)
                        .bind(last)
                        .bind(c.submitted_at())
                        .bind(k.first_submitted_at)
                        .bind(&k.month)
                        .bind(&k.catalog)
                        .bind(&k.entry)
                        .bind(&k.nationality)
                        .bind(i64::from(k.asked_more));
                }
                query.execute(&mut *tx).await?;
                let steps: Vec<(i64, &DemoStep)> = rows
                    .iter()
                    .flat_map(|c| c.steps.iter().map(move |s| (c.id, s)))
                    .collect();
                for chunk in steps.chunks(ROWS) {
                    let q = values_sql("INSERT INTO events (application_id, at, actor_id, action, from_state, to_state, reason) VALUES ", chunk.len(), 6, "''");
                    let mut query = sqlx::query(&q);
                    for (id, s) in chunk {
                        query = query
                            .bind(*id)
                            .bind(s.at)
                            .bind(s.actor)
                            .bind(s.action.code())
                            .bind(s.from.code())
                            .bind(s.to.code());
                    }
                    query.execute(&mut *tx).await?;
                }
            }
            if postgres {
                for table in ["users", "applications"] {
                    sqlx::query(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")).execute(&mut *tx).await?;
                }
            }
        });
        Ok(())
    }
}

/// `head` followed by `rows` groups of `binds` numbered placeholders,
/// each group ending in the constant SQL `tail`.
fn values_sql(head: &str, rows: usize, binds: usize, tail: &str) -> String {
    let mut sql = String::from(head);
    for r in 0..rows {
        let marks: Vec<String> = (1..=binds).map(|b| format!("${}", r * binds + b)).collect();
        let sep = if r == 0 { "" } else { ", " };
        sql.push_str(&format!("{sep}({}, {tail})", marks.join(", ")));
    }
    sql
}

fn demo_case(
    rng: &mut Random,
    plan: &DemoPlan,
    weights: &[f64],
    reviewers: &[i64],
    applicant: i64,
    id: i64,
) -> DemoCase {
    let (catalog, entry, list) = plan.entries[pick_entry(rng, weights)].clone();
    // More applications lately: first submissions thin out into the past.
    let age = (730.0 * DAY as f64 * (1.0 - rng.unit().sqrt())) as i64;
    let t0 = plan.now - age;
    let reviewer = reviewers[rng.below(reviewers.len() as u64) as usize];
    let form = serde_json::json!({
        "holder_name": format!("Demo applicant {applicant}"),
        "profile": {"entry": entry, "nationality": nationality(rng), "age": 28 + rng.below(30)},
        "certificate": {"number": format!("DEMO-{id}"), "issuer": "Demo issuer / 示例发证机构"},
    })
    .to_string();
    DemoCase {
        id,
        applicant,
        steps: timeline(rng, t0, plan.now, applicant, reviewer),
        catalog,
        entry,
        list,
        form,
        counted: None,
    }
}
