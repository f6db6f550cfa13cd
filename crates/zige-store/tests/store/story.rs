//! One story, told against both backends: an applicant applies, two
//! reviewers race to decide, a decision is issued and revoked, the audit
//! chain holds, and a backup restores into a fresh database (across
//! backends, too).
//!
//! The chapters live with their features (`accounts.rs`, `review.rs`…);
//! they run in this order on one database, so the backup at the end holds
//! every table the story wrote.

use zige_store::{Blobs, Store};

use crate::helpers::{postgres, sqlite, temp_dir};
use crate::{accounts, applications, audit, backup, decisions, editions, login_throttle, review};

/// Tells the story on `store`, chapter by chapter; returns its backup.
async fn story(store: &Store, blobs: &Blobs) -> Vec<u8> {
    let people = accounts::ada_and_two_reviewers_sign_up(store).await;
    accounts::sessions_expire(store, &people.ada).await;
    login_throttle::sign_in_attempts_are_counted_before_they_are_evaluated(store).await;

    let app = applications::ada_drafts_and_edits(store, &people.ada).await;
    let sha =
        applications::ada_uploads_her_certificate_twice(store, blobs, &app, &people.ada).await;
    let app = applications::ada_submits(store, &app, &people.ada, &sha).await;

    let bobs = review::bobs_later_submission_queues_behind_adas(store, &app).await;
    let app = review::a_reviewer_views_and_opens_adas_case(store, &app, &people.rev1).await;
    review::two_reviewers_race_to_take_bobs_case(store, &bobs, &people).await;
    review::two_reviewers_race_to_decide_bobs_case(store, &bobs, &people).await;
    review::an_admin_keeps_reason_templates(store).await;

    let issued = decisions::approving_adas_case_issues_a_decision(store, &app, &people.rev1).await;
    decisions::a_decision_is_revoked_once(store, &issued, &people.rev1).await;
    applications::the_timeline_tells_each_step(store, &app).await;
    applications::only_drafts_can_be_deleted(store, &people.ada, &app, &sha).await;

    audit::the_chain_and_the_database_hold(store).await;
    audit::searching_filters_and_pages(store).await;
    decisions::the_first_signing_key_stored_is_everyones(store).await;
    editions::a_draft_keeps_its_overlay_history(store, &people.rev1).await;
    editions::a_published_edition_is_immutable(store, &people.rev1).await;
    editions::a_discarded_draft_can_be_imported_again(store).await;
    backup::the_backup_holds_every_row_and_file(store, blobs).await
}

#[tokio::test]
async fn the_story_on_sqlite_and_its_backup_restores() {
    let dir = temp_dir("sqlite");
    let store = sqlite(&dir).await;
    let blobs = Blobs::open(&dir, None).unwrap();
    let backup = story(&store, &blobs).await;
    {
        let dir2 = temp_dir("sqlite-restored");
        let target = sqlite(&dir2).await;
        backup::restored_matches(&target, &Blobs::open(&dir2, None).unwrap(), &backup).await;
        backup::a_broken_backup_changes_nothing(&backup).await;
    }
    store.close().await;
}

#[tokio::test]
async fn the_story_on_postgres_and_its_backup_restores_across_backends() {
    let Some(database) = postgres("story_a").await else {
        return;
    };
    let dir = temp_dir("pg");
    let blobs = Blobs::open(&dir, None).unwrap();
    let backup = story(&database.store, &blobs).await;
    database.store.close().await;
    {
        // PostgreSQL → PostgreSQL and PostgreSQL → SQLite.
        let target = postgres("story_b").await.unwrap();
        backup::restored_matches(&target.store, &blobs, &backup).await;
        target.drop_database().await;
        let dir2 = temp_dir("pg-to-sqlite");
        let lite = sqlite(&dir2).await;
        backup::restored_matches(&lite, &Blobs::open(&dir2, None).unwrap(), &backup).await;
    }
    database.drop_database().await;
}
