//! Queries typed the way people slip or write elsewhere find what the
//! catalogue's own words find: a same-sounding character from a pinyin
//! input method, a Taiwan, Hong Kong or Japanese form, pinyin typed as
//! separate syllables. Queries that already match are left alone.

use zige_catalog::{default_catalog, places};
use zige_search::{Filters, SearchResult, Searcher};

fn searcher() -> &'static Searcher<'static> {
    static S: std::sync::OnceLock<Searcher<'static>> = std::sync::OnceLock::new();
    S.get_or_init(|| Searcher::new(default_catalog(), places()))
}

fn search(q: &str) -> SearchResult {
    searcher().search(q, &Filters::default(), 10)
}

/// The codes of the entries matching the whole query, best first.
fn matches(q: &str) -> Vec<String> {
    let r = search(q);
    r.hits
        .into_iter()
        .filter(|h| !h.related)
        .map(|h| h.code)
        .collect()
}

fn first(q: &str) -> String {
    matches(q).into_iter().next().unwrap_or_default()
}

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| c.to_string()).collect()
}

// Same-sounding characters.

#[test]
fn a_same_sounding_character_finds_what_the_right_one_finds() {
    for (slip, right) in [
        ("经算师", "精算师"),
        ("药济师", "药剂师"),
        ("注册会记师", "注册会计师"),
        ("心里治疗师", "心理治疗师"),
        ("物里治疗师", "物理治疗师"),
        ("教室资格证书", "教师资格证书"),
        ("营养是", "营养师"),
        ("足球教联员", "足球教练员"),
        ("篮球裁判原", "篮球裁判员"),
        ("特许花学家", "特许化学家"),
        ("蒙太梭利", "蒙台梭利"),
        ("纽约洲教师", "纽约州教师"),
    ] {
        assert_eq!(matches(slip), matches(right), "{slip} for {right}");
        assert!(!matches(slip).is_empty(), "{slip}");
    }
}

#[test]
fn a_same_sounding_match_scores_a_little_below_the_exact_one() {
    for (slip, right) in [
        ("经算师", "精算师"),
        ("药济师", "药剂师"),
        ("项目管里", "项目管理"),
    ] {
        let (s, r) = (search(slip).hits[0].score, search(right).hits[0].score);
        assert!(s < r && s > 0.9 * r, "{slip} {s} against {right} {r}");
    }
}

#[test]
fn the_replaced_character_is_highlighted_in_the_catalogue_text() {
    let hit = &search("药济师").hits[0];
    let name = hit
        .matched
        .iter()
        .find(|m| m.field == "name.zh")
        .expect("name");
    assert_eq!(name.spans[0], [0, 3], "{name:?}");
}

#[test]
fn a_character_that_fits_on_one_side_only_is_not_replaced() {
    // 律 sounds like 绿, and 美国绿色 holds 国绿, but 绿师 stands nowhere:
    // the query asks for a lawyer, not a green building body.
    let r = search("美国律师");
    assert!(
        r.hits.iter().all(|h| !h.name.zh.contains("LEED")),
        "{:?}",
        r.hits.iter().map(|h| &h.code).collect::<Vec<_>>()
    );
    // A place the catalogue does not name changes nothing.
    assert_eq!(matches("北京精算师"), matches("精算师"));
}

// Regional forms.

#[test]
fn regional_forms_reach_the_catalogue_term() {
    for (regional, code) in [
        ("諮商心理師", "G103"),
        ("獸醫師", "G115"),
        ("獣医師", "G115"),
        ("中小企業診断士", "G94"),
        ("職能治療師", "G105"),
        ("栄養士", "G109"),
        ("資訊系統審計師", "G3"),
    ] {
        assert_eq!(first(regional), code, "{regional}");
    }
}

#[test]
fn regional_terms_find_what_the_mainland_term_finds() {
    for (regional, mainland) in [
        ("薬剤師", "药剂师"),
        ("公認会計士", "注册会计师"),
        ("会計士", "会计师"),
        ("專案管理", "项目管理"),
        ("PMP 專案", "PMP 项目"),
        ("軟體工程師", "软件工程师"),
        ("看護師", "护士"),
        ("臨床心理士", "临床心理师"),
    ] {
        assert_eq!(matches(regional), matches(mainland), "{regional}");
    }
    let mut cpa = matches("公認会計士")[..3].to_vec();
    cpa.sort();
    assert_eq!(cpa, codes(&["G22", "G28", "G6"]));
}

// Pinyin in separate syllables.

#[test]
fn separated_syllables_find_what_the_joined_word_finds() {
    for (separated, joined) in [
        ("jing suan shi", "jingsuanshi"),
        ("jīng suàn shī", "jingsuanshi"),
        ("jing1 suan4 shi1", "jingsuanshi"),
        ("yao ji shi", "yaojishi"),
        ("xin li zhi liao shi", "xinlizhiliaoshi"),
        ("zi shang xin li shi", "zishangxinlishi"),
        ("zhu ce hui ji shi", "zhucehuijishi"),
    ] {
        assert_eq!(matches(separated), matches(joined), "{separated}");
        assert!(!matches(separated).is_empty(), "{separated}");
    }
    assert_eq!(first("zi shang xin li shi"), "G103");
    // 德 is read de, which alone is a stop word.
    assert_eq!(matches("de guo"), codes(&["G99"]));
}

#[test]
fn joined_syllables_combine_with_other_words() {
    assert_eq!(first("jing suan shi FSA"), "G8");
    assert_eq!(first("ying yang shi"), "G109");
}

#[test]
fn english_words_that_are_syllables_stay_words() {
    // "long" and "men" are syllables, but "longmen" reads no entry's name.
    assert_eq!(matches("long men"), matches("long"));
    assert_eq!(matches("men long"), matches("long"));
    assert_eq!(matches("ban men"), matches("ban"));
    assert!(!matches("ban").is_empty());
}

// Ordinary queries.

#[test]
fn ordinary_queries_are_unchanged() {
    assert_eq!(first("PMP"), "G14");
    assert_eq!(first("精算师"), "G8");
    assert_eq!(matches("精算师").len(), 5);
    assert_eq!(first("加州教师"), "G60");
    assert_eq!(first("kubernetes 管理员"), "G31");
    assert_eq!(first("药剂师 香港"), "G114");
    assert_eq!(first("actuary"), "G8");
    // An exact name keeps its exact-name bonus; a slip of it does not get it.
    assert!(search("咨商心理师").hits[0].score > search("諮商心理師").hits[0].score - 0.001);
}
