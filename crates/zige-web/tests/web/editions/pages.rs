//! The pages of catalogue editions as a browser without JavaScript sees
//! them: an administrator uploads a modified official text through the
//! form, reads the diff, saves the overlay and publishes for a future date
//! while the public pages keep answering from 3.0; others are kept out; a
//! text that cannot be read is shown line by line and nothing is stored.
//! Then the public side: editions by `?catalog=`, the entry's history,
//! the changes page with its feed, downloads of every edition.

use axum::http::StatusCode;
use zige_cases::Role;

use super::{beijing_next, unreadable_text, CAIA_OVERLAY};
use crate::helpers::*;

async fn app(tag: &str) -> TestApp {
    TestApp::new(tag, &[(ADMIN, Role::Admin), (REVIEWER, Role::Reviewer)]).await
}

/// Posts the import form (in `lang`): its fields, and the text as the file.
async fn import(
    browser: &mut Browser<'_>,
    lang: &str,
    fields: &[(&str, &str)],
    text: &str,
) -> Reply {
    let uri = format!("/admin/catalogs?lang={lang}");
    browser
        .multipart(&uri, fields, "catalog.txt", text.as_bytes())
        .await
}

/// Imports `text` as beijing/`version` through the form.
async fn import_draft(browser: &mut Browser<'_>, version: &str, text: &str) -> Reply {
    let csrf = browser.get("/admin/catalogs").await.hidden("csrf");
    let fields = [
        ("csrf", &*csrf),
        ("jurisdiction", "beijing"),
        ("version", version),
        ("published", "2026-11-01"),
    ];
    import(browser, "en", &fields, text).await
}

#[tokio::test]
async fn an_admin_imports_reads_the_diff_completes_the_overlay_and_publishes_for_a_future_date() {
    let env = app("publish").await;
    let mut admin = env.staff_browser("admin@example.org").await;

    let list = admin.get("/admin/catalogs?lang=en").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.has("href=\"/admin/catalogs\" aria-current=\"page\""),
        "a tab of the administration"
    );
    assert!(list.has(">beijing/3.0</a>") && list.has("Built in") && list.has("In force"));
    assert!(list.has("enctype=\"multipart/form-data\""));

    let r = import_draft(&mut admin, "3.1", &beijing_next("3.1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/admin/catalogs/beijing/3.1?done=imported");

    let draft = admin.get("/admin/catalogs/beijing/3.1?lang=en").await;
    assert_eq!(draft.status, StatusCode::OK);
    let d = &draft;
    assert!(d.has("Edition beijing/3.1") && d.has("Draft"));
    assert!(d.has("Changes against beijing/3.0, the edition in force"));
    assert!(d.has("1 added, 1 removed"), "{}", d.text());
    assert!(d.has("CAIA另类投资分析师"), "the added entry");
    assert!(d.has("Connecticut"), "the removed entry");
    // G7 renamed: how it was matched, and the name before and after.
    assert!(d.has("renamed") && d.has("Matched by: the same stable id"));
    assert!(d.has("<del>CFA特许金融分析师证书</del>"), "{}", d.text());
    assert!(d.has("<ins>CFA特许金融分析师证书（特许资格）</ins>"));
    assert!(d.has("entries kept their content but changed their number"));
    // The new entry lacks its overlay: named under Validation.
    assert!(d.has("One problem: publishing is refused"), "{}", d.text());
    assert!(d.has("no overlay entry"));
    assert!(d.has("until that date beijing/3.0, the edition in force, keeps answering"));

    // Publishing is refused while the problem is there.
    let csrf = draft.hidden("csrf");
    let r = admin
        .post(
            "/admin/catalogs/beijing/3.1/publish?lang=en",
            &[("csrf", &csrf), ("effective", "2199-01-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.has("fix the overlay before publishing"), "{}", r.text());
    assert!(r.has("value=\"2199-01-01\""), "the date typed is kept");

    // An overlay that is not TOML is refused, and what was typed is kept.
    let r = admin
        .post(
            "/admin/catalogs/beijing/3.1/overlay?lang=en",
            &[("csrf", &csrf), ("overlay", "[broken"), ("note", "oops")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.has("aria-describedby=\"overlay-error\"") && r.textarea("overlay-text") == "[broken");

    // The overlay completed for the new entry, with a note.
    let code = {
        let html = d.text();
        let before = &html[..html.find("no overlay entry").unwrap()];
        let start = before.rfind("<code>").unwrap() + 6;
        before[start..].split('<').next().unwrap().to_string()
    };
    let overlay = format!(
        "{}\n[entries.{code}]{CAIA_OVERLAY}",
        draft.textarea("overlay-text")
    );
    let r = admin
        .post(
            "/admin/catalogs/beijing/3.1/overlay",
            &[
                ("csrf", &csrf),
                ("overlay", &overlay),
                ("note", "English for CAIA"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let fixed = admin.get("/admin/catalogs/beijing/3.1?lang=en").await;
    assert!(fixed.has("No problems: this draft can be published."));
    assert!(
        fixed.has("admin@example.org</span> — English for CAIA"),
        "the history names the author and the note"
    );

    // Published for a date to come.
    let r = admin
        .post(
            "/admin/catalogs/beijing/3.1/publish",
            &[("csrf", &csrf), ("effective", "2199-01-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/admin/catalogs/beijing/3.1?done=published");
    let published = admin.get("/admin/catalogs/beijing/3.1?lang=en").await;
    assert!(published.has("Published") && published.has("From 2199-01-01"));
    assert!(
        !published.has("<textarea"),
        "a published edition is read-only"
    );
    assert!(!published.has("/publish\""));
    assert!(
        !published.has("id=\"validation\""),
        "validation is a draft's"
    );
    let list = admin.get("/admin/catalogs?lang=en").await;
    assert!(list.has(">beijing/3.1</a>") && list.has("From 2199-01-01"));

    // The public pages still answer from 3.0.
    let mut anyone = Browser::new(&env);
    let home = anyone.get("/?lang=en").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.has("catalogue of 122 recognised"), "{}", home.text());
    let search = anyone.get("/search?q=CAIA&lang=en").await;
    assert!(!search.has("Chartered Alternative Investment Analyst"));
    assert!(anyone.get("/entries/G7?lang=en").await.has("CFA"));
    // The edition to come can be read by name, saying which it is.
    let future = anyone
        .get("/search?q=CAIA&catalog=beijing/3.1&lang=en")
        .await;
    assert_eq!(future.status, StatusCode::OK);
    assert!(future.has("Chartered Alternative Investment Analyst"));
    assert!(future.has("beijing/3.1") && future.has("2199-01-01"));
    assert!(
        future.has("(version 3.1), published 2026-11-01"),
        "the footer names the source shown"
    );
    assert!(
        future.has("class=\"edition-note\""),
        "the page says which edition it shows"
    );
    assert!(
        future.has("name=\"catalog\" value=\"beijing/3.1\""),
        "the search form keeps the edition"
    );
    let browse = anyone
        .get("/browse?catalog=beijing/3.1&field=finance&lang=en")
        .await;
    assert_eq!(browse.status, StatusCode::OK);
    assert!(browse.has("which takes effect on 2199-01-01; until then beijing/3.0 is in force"));
    assert!(browse.has("/entries/caia-association-caia?catalog=beijing%2F3.1"));
    assert!(
        browse.has("catalog=beijing%2F3.1"),
        "facet links keep the edition"
    );
    let caia = anyone
        .get("/entries/caia-association-caia?catalog=beijing/3.1&lang=en")
        .await;
    assert_eq!(caia.status, StatusCode::OK);
    assert!(caia.has("Chartered Alternative Investment Analyst (CAIA)"));
    assert!(
        !caia.has("href=\"/check?entry="),
        "the check answers from the edition in force, not this one"
    );
    assert_eq!(
        anyone.get("/entries/caia-association-caia").await.status,
        StatusCode::NOT_FOUND,
        "not in 3.0"
    );
    assert_eq!(
        anyone.get("/browse?catalog=beijing/9.9").await.status,
        StatusCode::NOT_FOUND
    );

    // The entry's history across editions.
    let g7 = anyone.get("/entries/G7?lang=en").await;
    assert!(g7.has("History across editions"));
    assert!(
        g7.has("<a href=\"/entries/cfa-institute-cfa?catalog=beijing%2F3.1\">beijing/3.1</a>"),
        "{}",
        g7.text()
    );
    assert!(g7.has("Changed: Name (Chinese)"), "{}", g7.text());
    let gone = anyone
        .get("/entries/us-ct-educator-certificate?lang=en")
        .await;
    assert!(gone.has("Removed in this edition"));

    // The changes page: the editions, the comparison with the one to come, the feed.
    let changes = anyone.get("/changes?lang=en").await;
    assert_eq!(changes.status, StatusCode::OK);
    assert!(
        changes.has("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/changes.atom\"")
    );
    assert!(changes.has("href=\"/changes.atom\""));
    assert!(changes.has("From beijing/3.0 to beijing/3.1"));
    assert!(changes.has("<option value=\"beijing/3.1\" selected>"));
    assert!(changes.has("In force") && changes.has("From 2199-01-01"));
    assert!(changes.has("CAIA另类投资分析师"));
    let back = anyone
        .get("/changes?from=beijing/3.1&to=beijing/3.0&lang=en")
        .await;
    assert!(back.has("From beijing/3.1 to beijing/3.0") && back.has("1 added, 1 removed"));
    let bad = anyone
        .get("/changes?from=beijing/9.9&to=beijing/3.0&lang=en")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let feed = anyone.get("/changes.atom").await;
    assert!(feed.has("beijing/3.1 replaces beijing/3.0 from 2199-01-01"));

    // Downloads of every edition in every format.
    let data = anyone.get("/data?lang=en").await;
    for id in ["beijing/3.0", "beijing/3.1"] {
        for f in ["csv", "xlsx", "json", "jsonld"] {
            assert!(
                data.has(&format!("href=\"/api/v1/export.{f}?catalog={id}\"")),
                "{id} {f}"
            );
        }
    }
}

#[tokio::test]
async fn others_are_sent_to_sign_in_or_refused() {
    let env = app("refused").await;
    let mut anyone = Browser::new(&env);
    for path in ["/admin/catalogs", "/admin/catalogs/beijing/3.0"] {
        let r = anyone.get(path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            r.location(),
            format!("/login?next={}", urlencoding::encode(path))
        );
    }
    let mut rev = env.staff_browser("rev@example.org").await;
    let r = rev.get("/admin/catalogs").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        !r.has("href=\"/admin/catalogs\""),
        "no administration link for reviewers"
    );
    let csrf = rev.get("/review").await.hidden("csrf");
    let r = import(
        &mut rev,
        "en",
        &[
            ("csrf", &csrf),
            ("jurisdiction", "beijing"),
            ("version", "3.1"),
        ],
        &beijing_next("3.1"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = rev
        .post(
            "/admin/catalogs/beijing/3.0/publish",
            &[("csrf", &csrf), ("effective", "2199-01-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nothing was stored: the administrator sees the built-in edition only.
    let mut admin = env.staff_browser("admin@example.org").await;
    assert!(!admin.get("/admin/catalogs").await.has("beijing/3.1"));
    // A forged form is refused too.
    let r = import(
        &mut admin,
        "en",
        &[
            ("csrf", "forged"),
            ("jurisdiction", "beijing"),
            ("version", "3.1"),
        ],
        &beijing_next("3.1"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!admin.get("/admin/catalogs").await.has("beijing/3.1"));
}

#[tokio::test]
async fn a_text_that_cannot_be_read_shows_every_problem_by_line_and_nothing_is_stored() {
    let env = app("bad").await;
    let mut admin = env.staff_browser("admin@example.org").await;
    let r = import_draft(&mut admin, "3.9", &unreadable_text()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.has("id=\"problems\""), "the summary of problems");
    // Both problems, each with its line, column and text.
    assert!(
        r.has("line 7, column 1: the declared total (共计N项) is not a number — “（共计X项）”"),
        "{}",
        r.text()
    );
    assert!(r.has("line 9, column 1:"), "{}", r.text());
    assert!(r.has("value=\"3.9\""), "what was typed is kept");
    assert!(!admin.get("/admin/catalogs").await.has("beijing/3.9"));
    // In Chinese, the same problems by 行 and 列.
    let csrf = r.hidden("csrf");
    let zh = import(
        &mut admin,
        "zh",
        &[
            ("csrf", &csrf),
            ("jurisdiction", "beijing"),
            ("version", "3.9"),
        ],
        &unreadable_text(),
    )
    .await;
    assert_eq!(zh.status, StatusCode::BAD_REQUEST);
    assert!(
        zh.has("导入新的官方文本") && zh.has("第7行第1列"),
        "{}",
        zh.text()
    );
    // Missing fields are named at their controls.
    let r = import(
        &mut admin,
        "en",
        &[
            ("csrf", &csrf),
            ("jurisdiction", "beijing"),
            ("version", ""),
        ],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.has("href=\"#version\"") && r.has("href=\"#file\""),
        "{}",
        r.text()
    );
    assert!(r.has("id=\"version-error\""));
}

#[tokio::test]
async fn a_draft_can_be_discarded_after_a_confirmation() {
    let env = app("discard").await;
    let mut admin = env.staff_browser("admin@example.org").await;
    let r = import_draft(&mut admin, "3.2", &beijing_next("3.2")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let confirm = admin
        .get("/admin/catalogs/beijing/3.2/discard?lang=en")
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.has("Discard draft beijing/3.2?"));
    assert!(confirm.has("action=\"/admin/catalogs/beijing/3.2/discard\""));
    let csrf = confirm.hidden("csrf");
    let r = admin
        .post("/admin/catalogs/beijing/3.2/discard", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/admin/catalogs?done=discarded");
    let list = admin.get("/admin/catalogs?done=discarded&lang=en").await;
    assert!(list.has("The draft was discarded.") && list.has("Discarded"));
    // Discarded once; a second time is a conflict shown on the page.
    let r = admin
        .post(
            "/admin/catalogs/beijing/3.2/discard?lang=en",
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.has("only drafts can be discarded"));
    // The built-in edition has no draft controls.
    let builtin = admin.get("/admin/catalogs/beijing/3.0?lang=en").await;
    assert_eq!(builtin.status, StatusCode::OK);
    assert!(builtin.has("Built in") && !builtin.has("<textarea") && !builtin.has("/discard"));
    assert_eq!(
        admin.get("/admin/catalogs/beijing/9.9").await.status,
        StatusCode::NOT_FOUND
    );
}
