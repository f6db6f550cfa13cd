//! Statistics on both backends: every state change moves its application
//! between counted cells in the same transaction; counting again from the
//! timelines gives the same cells; demo data is counted the same way and
//! refused where real applications exist.

use zige_cases::statistics::Cells;
use zige_cases::{Role, State};
use zige_store::{Change, DemoPlan, Store};

use crate::helpers::{applicant, person, postgres, sqlite, temp_dir, NOW};

const DAY: i64 = 86_400_000;

/// Every cell as text, sorted, so two readings compare as wholes.
fn listing(cells: &Cells) -> Vec<String> {
    let mut out: Vec<String> = cells
        .cases
        .iter()
        .map(|c| {
            format!(
                "case {} {} {} {} {} {} {}",
                c.month,
                c.catalog,
                c.entry,
                c.nationality,
                c.state.code(),
                c.asked_more,
                c.count
            )
        })
        .chain(cells.decisions.iter().map(|c| {
            format!(
                "decision {} {} {} {} {} {}",
                c.month,
                c.catalog,
                c.entry,
                c.outcome.code(),
                c.days,
                c.count
            )
        }))
        .chain(cells.reviewers.iter().map(|c| {
            format!(
                "reviewer {} {} {} {} {} {}",
                c.month,
                c.catalog,
                c.entry,
                c.reviewer,
                c.step.code(),
                c.count
            )
        }))
        .filter(|line| !line.ends_with(" 0"))
        .collect();
    out.sort();
    out
}

async fn step(store: &Store, id: i64, from: State, to: State, actor: i64, at: i64) {
    let change = Change {
        id,
        from,
        to,
        version: None,
        action: "step",
        actor: Some(actor),
        reason: "",
        now: at,
        catalog: Some("beijing/3.0"),
    };
    store.transition(&change, None).await.unwrap();
}

async fn submitted(store: &Store, who: i64, entry: &str, nationality: &str) -> i64 {
    let form = format!(r#"{{"profile":{{"entry":"{entry}","nationality":"{nationality}"}}}}"#);
    let app = store
        .create_application(
            who,
            "beijing/3.0",
            &form,
            (Some(entry), Some("general")),
            NOW,
        )
        .await
        .unwrap();
    step(store, app.id, State::Draft, State::Submitted, who, NOW).await;
    app.id
}

async fn counted_live_and_again(store: &Store) {
    let ada = applicant(store, "stats-ada").await;
    let rev = person(store, "stats-rev", "Rev", Role::Reviewer).await.id;
    let a = submitted(store, ada, "G7", "hmt").await;
    step(
        store,
        a,
        State::Submitted,
        State::UnderReview,
        rev,
        NOW + DAY,
    )
    .await;
    step(
        store,
        a,
        State::UnderReview,
        State::MoreInformation,
        rev,
        NOW + 2 * DAY,
    )
    .await;
    step(
        store,
        a,
        State::MoreInformation,
        State::Resubmitted,
        ada,
        NOW + 5 * DAY,
    )
    .await;
    step(
        store,
        a,
        State::Resubmitted,
        State::Approved,
        rev,
        NOW + 9 * DAY,
    )
    .await;
    let b = submitted(store, ada, "G7", "foreign").await;
    step(store, b, State::Submitted, State::Withdrawn, ada, NOW + DAY).await;
    let c = submitted(store, ada, "U1", "weird").await;
    let draft = store
        .create_application(ada, "beijing/3.0", "{}", (None, None), NOW)
        .await
        .unwrap();
    step(store, draft.id, State::Draft, State::Withdrawn, ada, NOW).await;

    let cells = store.statistics_cells(NOW).await.unwrap();
    let live = listing(&cells);
    let month = "2026-11"; // NOW is 2026-11-18 in Beijing
    let expected = [
        format!("case {month} beijing/3.0 G7 foreign withdrawn false 1"),
        format!("case {month} beijing/3.0 G7 hmt approved true 1"),
        format!("case {month} beijing/3.0 U1 unknown submitted false 1"),
        format!("decision {month} beijing/3.0 G7 approved 9 1"),
        format!("reviewer {month} beijing/3.0 G7 {rev} approved 1"),
        format!("reviewer {month} beijing/3.0 G7 {rev} more_information 1"),
    ];
    assert_eq!(live, expected);
    assert_eq!(cells.open.len(), 1, "the U1 case waits for a reviewer");

    store
        .execute_admin("UPDATE zige_meta SET value = 'rebuild' WHERE key = 'statistics'")
        .await
        .unwrap();
    store.migrate().await.unwrap();
    assert_eq!(
        listing(&store.statistics_cells(NOW).await.unwrap()),
        live,
        "counted again from the timelines"
    );

    // The cells kept between reports give way to the next change.
    step(store, c, State::Submitted, State::Withdrawn, ada, NOW + DAY).await;
    let after = store.statistics_cells(NOW + DAY).await.unwrap();
    let withdrawn = format!("case {month} beijing/3.0 U1 unknown withdrawn false 1");
    assert!(
        listing(&after).contains(&withdrawn),
        "{:?}",
        listing(&after)
    );
    assert!(after.open.is_empty(), "nothing waits any more");
}

async fn demo_data_is_counted_and_guarded(store: &Store) {
    let plan = DemoPlan {
        applications: 2500,
        entries: vec![
            ("beijing/3.0".into(), "G7".into(), "general".into()),
            ("beijing/3.0".into(), "U1".into(), "urgent".into()),
        ],
        now: NOW,
        seed: 7,
        force: false,
    };
    let refused = store.seed_demo(&plan).await.unwrap().unwrap_err();
    assert_eq!(
        refused.0, 4,
        "four real applications (drafts included) stop it"
    );
    let report = store
        .seed_demo(&DemoPlan {
            force: true,
            ..plan
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(report.applications, 2500);
    let cells = store.statistics_cells(NOW).await.unwrap();
    let counted: i64 = cells.cases.iter().map(|c| c.count).sum();
    assert_eq!(
        counted,
        2500 + 3,
        "every demo application counted once, beside the real ones"
    );
    let decided: i64 = cells.decisions.iter().map(|c| c.count).sum();
    assert_eq!(decided as u64, report.decided + 1);
    let months: std::collections::BTreeSet<_> = cells.cases.iter().map(|c| c.month).collect();
    assert!(months.len() >= 24, "spread over two years: {months:?}");
    let seeded = listing(&cells);
    store
        .execute_admin("UPDATE zige_meta SET value = 'rebuild' WHERE key = 'statistics'")
        .await
        .unwrap();
    store.migrate().await.unwrap();
    assert_eq!(
        listing(&store.statistics_cells(NOW).await.unwrap()),
        seeded,
        "seeding counts as replaying does"
    );
}

#[tokio::test]
async fn statistics_on_sqlite() {
    let store = sqlite(&temp_dir("statistics")).await;
    counted_live_and_again(&store).await;
    demo_data_is_counted_and_guarded(&store).await;
    store.close().await;
}

#[tokio::test]
async fn statistics_on_postgres() {
    let Some(db) = postgres("statistics").await else {
        return;
    };
    counted_live_and_again(&db.store).await;
    demo_data_is_counted_and_guarded(&db.store).await;
    db.drop_database().await;
}
