//! The diff between editions, on synthetic variants of the 3.0 text:
//! entries dropped, added, renamed and moved between lists.

use zige_catalog::import::Row;
use zige_catalog::{diff, import_text, parse, Catalog, BUILTIN};

fn edition(edit: impl FnOnce(&mut zige_catalog::Publication), version: &str) -> Catalog {
    let mut p = parse(BUILTIN[0].text.as_bytes()).unwrap();
    edit(&mut p);
    p.title = format!("北京市境外职业资格认可目录（{version}版）");
    let text = p.to_text();
    import_text(
        text.as_bytes(),
        "beijing",
        Some(version),
        Some("2024-09-01"),
    )
    .expect("synthetic text is valid")
    .0
}

fn base() -> Catalog {
    import_text(BUILTIN[0].text.as_bytes(), "beijing", None, None)
        .unwrap()
        .0
}

fn row(name: &str, issuer: &str) -> Row {
    Row {
        line: 0,
        seq: 0,
        name: name.into(),
        issuer: issuer.into(),
        region: "英国".into(),
        field: "金融".into(),
        remark: "从事金融相关工作。".into(),
        cells: vec![],
    }
}

#[test]
fn the_same_text_has_no_differences() {
    let d = diff(&base(), &base());
    assert!(d.is_empty());
    assert_eq!(d.unchanged, 122);
}

#[test]
fn dropped_and_added_entries_are_listed_and_the_rest_only_renumbered() {
    let next = edition(
        |p| {
            p.sections[1].rows.remove(49); // G50, Connecticut teachers
            p.sections[1].rows.push(row(
                "CAIA另类投资分析师",
                "另类投资分析师协会 CAIA Association",
            ));
        },
        "3.1",
    );
    let d = diff(&base(), &next);
    assert_eq!(
        d.removed
            .iter()
            .map(|e| e.code.as_str())
            .collect::<Vec<_>>(),
        ["G50"]
    );
    assert_eq!(d.added.len(), 1);
    assert_eq!(d.added[0].name.zh, "CAIA另类投资分析师");
    assert!(d.changed.is_empty(), "{:?}", d.changed);
    assert_eq!(d.renumbered, 65, "G51..G115 moved up by one");
}

#[test]
fn a_renamed_entry_is_a_change_not_a_removal_and_an_addition() {
    let next = edition(
        |p| p.sections[1].rows[13].name = "PMP项目管理专业人士认证".into(),
        "3.1",
    );
    let d = diff(&base(), &next);
    assert!(d.added.is_empty() && d.removed.is_empty(), "{d:?}");
    assert_eq!(d.changed.len(), 1);
    let c = &d.changed[0];
    assert_eq!((c.from.code.as_str(), c.to.code.as_str()), ("G14", "G14"));
    assert_eq!(c.changes[0].field, "name.zh");
    assert_eq!(c.changes[0].to, "PMP项目管理专业人士认证");
}

#[test]
fn an_entry_moved_between_lists_keeps_its_identity() {
    let next = edition(
        |p| {
            let cfa = p.sections[1].rows.remove(6);
            p.sections[0].rows.push(cfa);
        },
        "3.1",
    );
    let d = diff(&base(), &next);
    assert!(d.added.is_empty() && d.removed.is_empty(), "{d:?}");
    let moved = d
        .changed
        .iter()
        .find(|c| c.from.code == "G7")
        .expect("CFA changed");
    assert_eq!(moved.to.code, "U8");
    assert!(moved
        .changes
        .iter()
        .any(|f| f.field == "list" && f.from == "general" && f.to == "urgent"));
    assert_eq!(
        moved.from.id, moved.to.id,
        "the stable id survives the move"
    );
}

#[test]
fn a_changed_remark_shows_field_by_field() {
    let next = edition(
        |p| {
            p.sections[1].rows[28].remark =
                "从事金融风险等相关工作（需要有三年相关工作经验）。".into()
        },
        "3.1",
    );
    let d = diff(&base(), &next);
    let c = &d.changed[0];
    assert_eq!(c.from.code, "G29");
    let fields: Vec<&str> = c.changes.iter().map(|f| f.field).collect();
    assert_eq!(fields, ["experience_years", "remark"]);
}
