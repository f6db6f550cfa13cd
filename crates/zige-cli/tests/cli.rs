//! The `zige` binary as a user runs it: outputs, JSON shapes and exit codes.

mod common;

use common::run::{json, stderr, stdout, zige, zige_stdin};
use common::temp::TempDir;

const OFFICIAL: &str = include_str!("../../../catalogs/beijing/3.0/catalog.txt");

#[test]
fn list_json_has_122_entries_each_with_an_english_name() {
    let v = json(&zige(&["list", "--json"]));
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 122);
    assert_eq!(entries.iter().filter(|e| e["list"] == "urgent").count(), 7);
    assert_eq!(
        entries.iter().filter(|e| e["list"] == "general").count(),
        115
    );
    assert!(entries
        .iter()
        .all(|e| e["name"]["en"].as_str().is_some_and(|s| !s.is_empty())));
    assert_eq!(v["catalog"]["id"], "beijing/3.0");
}

#[test]
fn list_filters_combine() {
    let v = json(&zige(&[
        "list",
        "--json",
        "--region",
        "AU",
        "--field",
        "education",
    ]));
    let codes: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["G66", "G67", "G68", "G69", "G70", "G71"]);
    let bad = zige(&["list", "--title", "senior"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad)
        .contains("invalid value 'senior' for --title: allowed intermediate, deputy_senior"));
}

#[test]
fn show_names_prince2_and_reads_in_english() {
    let o = zige(&["show", "G39", "--lang", "en"]);
    assert!(stdout(&o).contains("PRINCE2"), "{}", stdout(&o));
    let u7 = stdout(&zige(&["show", "U7", "--lang", "en"]));
    assert!(u7.contains("Fellow of the Association of Chartered Certified Accountants"));
    assert!(u7.contains("must register with the Chinese Institute of Certified Public Accountants"));
    assert!(u7.contains("associate senior professional title"));
    let zh = stdout(&zige(&["show", "u7", "--lang", "zh"]));
    assert!(zh.contains("注册会计师须在中国注册会计师协会注册后执业"));
    let unknown = zige(&["show", "G200"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("nearest: G115"));
}

#[test]
fn search_json_has_the_documented_shape() {
    let v = json(&zige(&[
        "search",
        "--json",
        "--limit",
        "3",
        "Kubernets",
        "administrator",
    ]));
    assert_eq!(v["query"], "Kubernets administrator");
    let hit = &v["hits"][0];
    assert_eq!(
        (hit["list"].as_str(), hit["seq"].as_u64()),
        (Some("general"), Some(31))
    );
    for k in ["id", "name", "score", "matched"] {
        assert!(hit.get(k).is_some(), "hit lacks {k}");
    }
}

#[test]
fn show_list_and_search_tell_entries_with_one_official_name_apart() {
    let g80 = stdout(&zige(&["show", "G80", "--lang", "zh"]));
    assert!(
        g80.contains("足球教练员等级证书（欧足联，B级及以上）"),
        "{g80}"
    );
    assert!(
        g80.contains("官方名称:") && g80.contains("足球教练员等级证书 (B级及以上)"),
        "{g80}"
    );
    let list = stdout(&zige(&["list", "--field", "education", "--lang", "zh"]));
    assert!(list.contains("教师资格证书（美国纽约州）"), "{list}");
    let found = stdout(&zige(&[
        "search",
        "加州教师",
        "--limit",
        "30",
        "--lang",
        "en",
    ]));
    let (matches, related) = found.split_once("Related qualifications").expect(&found);
    assert!(
        matches.contains("G60") && matches.contains("教师资格证书（美国加利福尼亚州）"),
        "{found}"
    );
    assert!(related.contains("G46"), "{found}");
    let next = json(&zige(&[
        "search", "teacher", "--json", "--offset", "20", "--limit", "5",
    ]));
    assert_eq!(next["offset"], 20);
    assert!(next["total"].as_u64().unwrap() > 25);
}

#[test]
fn import_rejects_broken_texts_naming_every_line_with_status_2() {
    let cases = [
        (
            OFFICIAL.replace("（共计122项）", "（共计123项）"),
            "7:1: the text declares 123 entries",
        ),
        (
            OFFICIAL.replace(
                "项目管理协会 Project Management Institute\t美国\t",
                "项目管理协会 Project Management Institute\t",
            ),
            "39:1: a row must have 6 tab-separated columns, found 5",
        ),
        (
            OFFICIAL.replace("\n31\tKubernetes管理员认证", "\n30\tKubernetes管理员认证"),
            "row number 30 is repeated; expected 31",
        ),
    ];
    let dir = TempDir::new("cli-import");
    for (i, (text, want)) in cases.iter().enumerate() {
        let path = dir.join(&format!("bad{i}.txt"));
        std::fs::write(&path, text).unwrap();
        let o = zige(&["import", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "case {i}");
        assert!(stderr(&o).contains(want), "case {i}: {}", stderr(&o));
    }
    let good = dir.join("good.txt");
    std::fs::write(&good, OFFICIAL).unwrap();
    let v = json(&zige(&["import", good.to_str().unwrap(), "--json"]));
    assert_eq!(v["entries"].as_array().unwrap().len(), 122);
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);
    assert_eq!(v["catalog"]["version"], "3.0");
}

#[test]
fn diff_compares_a_new_text_with_the_built_in_edition() {
    let dir = TempDir::new("cli-diff");
    let path = dir.join("v31.txt");
    let text = OFFICIAL
        .replace("PMP项目管理证书", "PMP项目管理专业人士认证")
        .replace("3.0版", "3.1版");
    std::fs::write(&path, text).unwrap();
    let v = json(&zige(&[
        "diff",
        "beijing/3.0",
        path.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(v["changed"].as_array().unwrap().len(), 1);
    assert_eq!(v["changed"][0]["from"]["code"], "G14");
    assert_eq!(v["to"], "beijing/3.1");
    let human = stdout(&zige(&[
        "diff",
        "beijing/3.0",
        path.to_str().unwrap(),
        "--lang",
        "en",
    ]));
    assert!(human.contains("1 changed"), "{human}");
}

#[test]
fn check_decides_from_flags_from_a_profile_and_rejects_bad_input() {
    let d = json(&zige(&[
        "check",
        "--entry",
        "G7",
        "--age",
        "67",
        "--nationality",
        "foreign",
        "--beijing-employer",
        "true",
        "--json",
    ]));
    assert_eq!(d["recognized"], true);
    let from_stdin = json(&zige_stdin(
        &["check", "--profile", "-", "--json"],
        r#"{"entry":"G7","age":67,"nationality":"foreign","beijing_employer":true}"#,
    ));
    assert_eq!(d, from_stdin);
    for (args, field) in [
        (vec!["check", "--entry", "U9"], "entry"),
        (
            vec!["check", "--entry", "G14", "--education", "wizard"],
            "education",
        ),
        (vec!["check", "--entry", "G14", "--age", "abc"], "age"),
    ] {
        let o = zige(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "one clear line: {err}");
        assert!(err.contains(&format!("for {field}")), "{err}");
    }
    let text = stdout(&zige(&[
        "check",
        "--entry",
        "G80",
        "--level",
        "UEFA A licence",
        "--age",
        "67",
        "--nationality",
        "foreign",
        "--beijing-employer",
        "true",
        "--lang",
        "en",
    ]));
    assert!(
        text.contains("likely to be recognised") && text.contains("above the age limit of 65"),
        "{text}"
    );
}

#[test]
fn exports_write_each_format() {
    let dir = TempDir::new("cli-export");
    let csv = dir.join("c.csv");
    assert!(
        zige(&["export", "--format", "csv", "-o", csv.to_str().unwrap()])
            .status
            .success()
    );
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let xlsx = dir.join("c.xlsx");
    assert!(
        zige(&["export", "--format", "xlsx", "-o", xlsx.to_str().unwrap()])
            .status
            .success()
    );
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let ld = json(&zige(&["export", "--format", "jsonld"]));
    assert_eq!(ld["hasPart"].as_array().unwrap().len(), 122);
}

#[test]
fn bad_global_options_exit_2() {
    let o = zige(&["list", "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("allowed zh, en"));
    let o = zige(&["list", "--catalog", "beijing/9.9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("allowed beijing/3.0"));
}

#[test]
fn config_default_prints_a_commented_file() {
    let out = stdout(&zige(&["config", "--default"]));
    assert!(out.contains("addr = \"127.0.0.1:8080\""));
    assert!(out.lines().filter(|l| l.starts_with('#')).count() > 5);
}

#[test]
fn an_official_imports_publishes_for_a_date_and_commands_answer_by_date() {
    let dir = TempDir::new("cli-editions");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let d = data.to_str().unwrap();
    let file = dir.join("edition.txt");
    import_a_draft_that_renames_g7(&file, d);
    publish_for_a_future_date(d);
    commands_answer_by_date(d);
    rejected_edition_commands_exit_2(&file, d);
    a_bad_text_is_refused_and_nothing_is_stored(&file, d);
    a_draft_can_be_discarded(&file, d);
}

/// Edition 3.1, in which G7 is renamed, is stored as a draft.
fn import_a_draft_that_renames_g7(file: &std::path::Path, d: &str) {
    let text = zige_catalog::BUILTIN[0]
        .text
        .replace("（3.0版）", "（3.1版）")
        .replace("CFA特许金融分析师证书", "CFA特许金融分析师资格证书");
    std::fs::write(file, text).unwrap();
    let f = file.to_str().unwrap();

    let o = zige(&[
        "catalog",
        "import",
        f,
        "--jurisdiction",
        "beijing",
        "--version",
        "3.1",
        "--data-dir",
        d,
    ]);
    let out = stdout(&o);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("stored draft beijing/3.1: 122 entries")
            && out.contains("validation: no problems"),
        "{out}"
    );
    assert!(
        out.contains("0 added, 0 removed, 1 changed"),
        "the renamed G7 is a change, not a removal: {out}"
    );
}

/// A draft is not in force; publishing for a future date keeps 3.0 answering.
fn publish_for_a_future_date(d: &str) {
    let o = zige(&[
        "catalog",
        "publish",
        "beijing/3.1",
        "--effective",
        "2199-01-01",
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = json(&zige(&["catalog", "list", "--json", "--data-dir", d]));
    assert_eq!(list[0]["id"], "beijing/3.0");
    assert_eq!(list[0]["in_force"], true);
    assert_eq!(
        (
            list[1]["status"].as_str(),
            list[1]["effective_from"].as_str(),
            list[1]["in_force"].as_bool()
        ),
        (Some("published"), Some("2199-01-01"), Some(false))
    );
}

/// `show`, `search` and `check` answer from the edition in force on `--on`
/// or named by `--catalog`.
fn commands_answer_by_date(d: &str) {
    let now = json(&zige(&["show", "G7", "--json", "--data-dir", d]));
    assert_eq!(now["catalog"], "beijing/3.0");
    let later = json(&zige(&[
        "show",
        "G7",
        "--json",
        "--data-dir",
        d,
        "--on",
        "2199-06-01",
    ]));
    assert_eq!(
        (later["catalog"].as_str(), later["name"]["zh"].as_str()),
        (Some("beijing/3.1"), Some("CFA特许金融分析师资格证书"))
    );
    assert_eq!(
        later["id"], now["id"],
        "the entry keeps its id across editions"
    );
    let named = json(&zige(&[
        "--catalog",
        "beijing/3.1",
        "search",
        "--json",
        "--data-dir",
        d,
        "CFA",
    ]));
    assert_eq!(named["catalog"], "beijing/3.1");
    let check = json(&zige(&[
        "check",
        "--entry",
        "G7",
        "--json",
        "--data-dir",
        d,
        "--on",
        "2199-06-01",
    ]));
    assert_eq!(check["catalog"], "beijing/3.1");
}

/// Rejected inputs exit 2 and name what is wrong.
fn rejected_edition_commands_exit_2(file: &std::path::Path, d: &str) {
    let f = file.to_str().unwrap();
    for (args, needle) in [
        (
            vec![
                "catalog",
                "publish",
                "beijing/3.1",
                "--effective",
                "2199-02-01",
                "--data-dir",
                d,
            ],
            "only drafts",
        ),
        (
            vec![
                "catalog",
                "publish",
                "beijing/9.9",
                "--effective",
                "2199-02-01",
                "--data-dir",
                d,
            ],
            "unknown edition",
        ),
        (
            vec![
                "catalog",
                "publish",
                "beijing/3.1",
                "--effective",
                "soon",
                "--data-dir",
                d,
            ],
            "--effective",
        ),
        (
            vec!["catalog", "discard", "beijing/3.1", "--data-dir", d],
            "not a draft",
        ),
        (
            vec![
                "catalog",
                "import",
                f,
                "--jurisdiction",
                "beijing",
                "--version",
                "3.1",
                "--data-dir",
                d,
            ],
            "exists already",
        ),
        (
            vec!["show", "G7", "--on", "1999-01-01"],
            "no edition of beijing is in force",
        ),
        (vec!["show", "G7", "--on", "31/12/2026"], "--on"),
    ] {
        let o = zige(&args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(needle),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// A bad text is refused line by line and nothing is stored.
fn a_bad_text_is_refused_and_nothing_is_stored(file: &std::path::Path, d: &str) {
    let f = file.to_str().unwrap();
    std::fs::write(
        file,
        zige_catalog::BUILTIN[0]
            .text
            .replacen("（共计122项）", "（共计X项）", 1),
    )
    .unwrap();
    let o = zige(&[
        "catalog",
        "import",
        f,
        "--jurisdiction",
        "beijing",
        "--version",
        "3.2",
        "--data-dir",
        d,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing was stored"));
    assert_eq!(
        json(&zige(&["catalog", "list", "--json", "--data-dir", d]))
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

/// A draft can be discarded.
fn a_draft_can_be_discarded(file: &std::path::Path, d: &str) {
    let f = file.to_str().unwrap();
    std::fs::write(
        file,
        zige_catalog::BUILTIN[0]
            .text
            .replace("（3.0版）", "（3.2版）"),
    )
    .unwrap();
    assert!(zige(&[
        "catalog",
        "import",
        f,
        "--jurisdiction",
        "beijing",
        "--version",
        "3.2",
        "--data-dir",
        d
    ])
    .status
    .success());
    assert!(
        zige(&["catalog", "discard", "beijing/3.2", "--data-dir", d])
            .status
            .success()
    );
    let list = json(&zige(&["catalog", "list", "--json", "--data-dir", d]));
    assert_eq!(list[2]["status"], "discarded");
}

#[test]
fn blobs_sweep_removes_old_files_no_record_refers_to() {
    let dir = TempDir::new("cli-sweep");
    let d = dir.as_str();
    let orphan = dir
        .join("blobs/evidence/ab")
        .join(format!("ab{}", "0".repeat(62)));
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, b"%PDF-1.4 orphan").unwrap();
    // Within the default grace period (an hour) the file stays.
    let o = zige(&["blobs", "sweep", "--data-dir", d]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["young"], 1);
    assert!(orphan.exists());
    let o = zige(&["blobs", "sweep", "--grace-secs", "0", "--data-dir", d]);
    assert_eq!(json(&o)["removed"], 1);
    assert!(!orphan.exists());
    let o = zige(&["blobs", "sweep", "--grace-secs", "soon", "--data-dir", d]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn demo_data_is_seeded_counted_and_refused_where_it_does_not_belong() {
    let dir = std::env::temp_dir().join(format!("zige-cli-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.to_str().unwrap();
    let bad = zige(&["demo", "seed", "--applications", "0", "--data-dir", data]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("applications: '0' is not allowed"));
    let seeded = zige(&[
        "demo",
        "seed",
        "--applications",
        "300",
        "--json",
        "--data-dir",
        data,
    ]);
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    let report = json(&seeded);
    assert_eq!(report["applications"], 300);
    assert!(report["decided"].as_u64().unwrap() > 100, "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}
