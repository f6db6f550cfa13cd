//! What a person notices about search: ranking, filters, highlighting,
//! suggestions and robustness against any input.

use proptest::prelude::*;
use zige_catalog::{default_catalog, places, TitleLevel};
use zige_search::{Filters, Searcher};

fn searcher() -> &'static Searcher<'static> {
    static S: std::sync::OnceLock<Searcher<'static>> = std::sync::OnceLock::new();
    S.get_or_init(|| Searcher::new(default_catalog(), places()))
}

fn top(q: &str) -> Vec<String> {
    searcher()
        .search(q, &Filters::default(), 10)
        .hits
        .into_iter()
        .map(|h| h.code)
        .collect()
}

#[test]
fn an_exact_alias_ranks_first() {
    assert_eq!(top("PMP")[0], "G14");
    assert_eq!(top("ＰＭＰ")[0], "G14");
    assert_eq!(top("AZ-305")[0], "G4");
}

#[test]
fn a_code_finds_its_entry_first() {
    assert_eq!(top("G7")[0], "G7");
    assert_eq!(top("g80")[0], "G80");
    assert_eq!(top("U1")[0], "U1");
}

#[test]
fn queries_that_fit_several_entries_list_them_all_at_the_top() {
    let hits = top("精算师");
    let first5: std::collections::BTreeSet<&str> =
        hits.iter().take(5).map(String::as_str).collect();
    assert_eq!(
        first5,
        ["G10", "G11", "G12", "G8", "G9"].into_iter().collect()
    );
    let s = searcher().search("精算师", &Filters::default(), 5);
    assert!(
        s.hits.windows(2).all(|w| w[0].score == w[1].score),
        "equal matches score equally"
    );
}

#[test]
fn the_empty_query_lists_nothing_and_says_how_to_search() {
    let r = searcher().search("   ", &Filters::default(), 10);
    assert!(r.hits.is_empty());
    assert!(r.message.unwrap().en.contains("Type a qualification"));
}

#[test]
fn filters_work_alone_and_with_a_query() {
    let s = searcher();
    let urgent = Filters {
        list: Some("urgent".into()),
        ..Filters::default()
    };
    let r = s.search("", &urgent, 50);
    assert_eq!(r.total, 7);
    let uk_finance = Filters {
        region: Some("GB".into()),
        field: Some("finance".into()),
        ..Filters::default()
    };
    let r = s.search("", &uk_finance, 50);
    assert!(
        r.hits
            .iter()
            .all(|h| ["G10", "G11", "G17", "G24", "G25", "G26"].contains(&h.code.as_str())),
        "{:?}",
        r.hits.iter().map(|h| &h.code).collect::<Vec<_>>()
    );
    let r = s.search(
        "会计",
        &Filters {
            title: Some(TitleLevel::DeputySenior),
            ..Filters::default()
        },
        10,
    );
    assert_eq!(
        r.hits.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(),
        ["U7"]
    );
    let three_years = Filters {
        experience: Some(3),
        ..Filters::default()
    };
    assert_eq!(
        s.search("", &three_years, 10)
            .hits
            .iter()
            .map(|h| h.code.as_str())
            .collect::<Vec<_>>(),
        ["G21"]
    );
    let international = Filters {
        region: Some("international".into()),
        list: Some("U".into()),
        ..Filters::default()
    };
    assert_eq!(s.search("", &international, 10).total, 5);
}

#[test]
fn matched_spans_point_at_the_words_found() {
    let r = searcher().search("Kubernetes 管理员", &Filters::default(), 1);
    let h = &r.hits[0];
    assert_eq!(h.code, "G31");
    let zh = h
        .matched
        .iter()
        .find(|m| m.field == "name.zh")
        .expect("Chinese name highlighted");
    let marked: Vec<String> = zh
        .spans
        .iter()
        .map(|[a, b]| zh.text.chars().skip(*a).take(b - a).collect())
        .collect();
    assert!(
        marked.contains(&"Kubernetes管理员".to_string())
            || (marked.contains(&"Kubernetes".to_string())
                && marked.contains(&"管理员".to_string())),
        "{marked:?}"
    );
}

#[test]
fn a_misspelt_query_that_finds_nothing_suggests_a_correction() {
    let r = searcher().search("zzkubernetesq", &Filters::default(), 10);
    assert!(r.hits.is_empty());
    assert_eq!(r.suggestions, ["kubernetes"]);
    assert!(r.message.is_some());
}

#[test]
fn long_queries_are_cut_not_refused_and_control_characters_ignored() {
    let long = "PMP ".repeat(200);
    let r = searcher().search(&long, &Filters::default(), 3);
    assert_eq!(r.query.chars().count(), 256);
    assert_eq!(r.hits[0].code, "G14");
    assert_eq!(top("P\u{0000}M\u{0007}P")[0], "G14");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn no_input_panics(q in "\\PC{0,300}") {
        let r = searcher().search(&q, &Filters::default(), 10);
        prop_assert!(r.hits.len() <= 10);
        prop_assert!(r.query.chars().count() <= 256);
    }

    #[test]
    fn mixed_script_noise_never_panics(q in "[a-zA-Z0-9 ＡＢ藥會加州\\-/'&]{0,40}") {
        let r = searcher().search(&q, &Filters::default(), 5);
        prop_assert!(r.hits.windows(2).all(|w| w[0].score >= w[1].score), "hits sorted best first");
    }
}

#[test]
fn english_and_chinese_queries_alike_give_the_best_match_then_related_entries() {
    for q in [
        "teacher california",
        "加州教师",
        "California teacher",
        "加利福尼亚州 教师",
    ] {
        let r = searcher().search(q, &Filters::default(), 100);
        assert_eq!(r.hits[0].code, "G60", "{q}");
        assert!(!r.hits[0].related, "{q}");
        assert_eq!(r.matches, 1, "{q}");
        let related: Vec<&str> = r
            .hits
            .iter()
            .filter(|h| h.related)
            .map(|h| h.code.as_str())
            .collect();
        assert!(
            related.contains(&"G46") && related.contains(&"G72"),
            "{q}: {related:?}"
        );
        // Related entries share the best match's field (education).
        for h in r.hits.iter().filter(|h| h.related) {
            let e = default_catalog().find(&h.code).unwrap();
            assert!(
                e.fields.iter().any(|f| f.key == "education"),
                "{q}: {}",
                h.code
            );
        }
    }
}

#[test]
fn pages_of_a_search_join_into_the_whole_list() {
    let s = searcher();
    let whole = s.search("teacher", &Filters::default(), 200);
    assert!(whole.total > 20);
    let mut joined = Vec::new();
    let mut offset = 0;
    while offset < whole.total {
        let page = s.search_page("teacher", &Filters::default(), offset, 20);
        assert_eq!(page.total, whole.total);
        assert_eq!(page.offset, offset);
        joined.extend(page.hits.into_iter().map(|h| h.code));
        offset += 20;
    }
    let codes: Vec<String> = whole.hits.into_iter().map(|h| h.code).collect();
    assert_eq!(joined, codes);
}

#[test]
fn the_display_name_is_searched() {
    assert_eq!(top("足球教练员等级证书（欧足联，B级及以上）")[0], "G80");
    assert_eq!(top("教师资格证书（美国纽约州）")[0], "G46");
    let r = searcher().search("纽约州教师", &Filters::default(), 5);
    assert_eq!(r.hits[0].display.zh, "教师资格证书（美国纽约州）");
}

/// The JSON the API sends is written from parts prepared with the index;
/// it must be, byte for byte, the answer's own serialisation.
fn assert_json_is_the_answer(q: &str, filters: &Filters, offset: usize, limit: usize) {
    let s = searcher();
    let result = s.search_page(q, filters, offset, limit);
    let mut written = Vec::new();
    s.write_json(&result, &mut written).expect("JSON");
    let serialised = serde_json::to_vec(&result).expect("JSON");
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&serialised),
        "query {q:?}, filters {filters:?}, offset {offset}"
    );
}

#[test]
fn the_written_json_is_the_answer_for_every_kind_of_query() {
    let own = include_str!("queries.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').next().unwrap_or(""));
    let more = [
        "",
        "zzqx wvvk",
        "acturay",
        "加州教师",
        "教師資格",
        "IEEE会士",
        "\"quoted\" \\ back",
        "tab\there",
        "G39",
        "护士 nurse",
        "会",
    ];
    let field = Filters {
        field: Some("education".into()),
        ..Filters::default()
    };
    for q in own.chain(more) {
        assert_json_is_the_answer(q, &Filters::default(), 0, 10);
        assert_json_is_the_answer(q, &Filters::default(), 2, 100);
        assert_json_is_the_answer(q, &field, 0, 10);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn the_written_json_is_the_answer_for_any_input(q in "\\PC{0,60}") {
        assert_json_is_the_answer(&q, &Filters::default(), 0, 10);
    }
}
