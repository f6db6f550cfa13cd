//! What the finder makes of the ways people write qualifications in a
//! CV that the passage sets only sample: each case is one general way.

use std::sync::OnceLock;

use zige_catalog::{default_catalog, places};
use zige_search::Searcher;

fn searcher() -> &'static Searcher<'static> {
    static S: OnceLock<Searcher<'static>> = OnceLock::new();
    S.get_or_init(|| Searcher::new(default_catalog(), places()))
}

fn found(text: &str) -> Vec<String> {
    searcher()
        .find_in_text(text)
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn an_abbreviation_several_entries_share_needs_a_place_beside_it() {
    assert_eq!(
        found("Managed a team of US CPAs on SEC filings."),
        ["aicpa-us-cpa"]
    );
    assert_eq!(found("Hong Kong CPA since 2015."), ["hkicpa-cpa"]);
    assert!(found("Worked with CPAs on SEC filings.").is_empty());
}

#[test]
fn a_place_before_a_shared_name_tells_it_apart_as_well_as_after() {
    assert_eq!(
        found("Ireland teacher registration, 2012"),
        ["ie-teacher-registration"]
    );
    assert_eq!(
        found("Teacher registration, Ireland, 2012"),
        ["ie-teacher-registration"]
    );
}

#[test]
fn a_body_with_a_word_of_its_entry_in_english_or_chinese_names_it() {
    assert_eq!(
        found("持有亚足联A级教练员证书（2017年）"),
        ["afc-coaching-certificate"]
    );
    assert_eq!(
        found("I completed the AFC C Certificate, Singapore, 2016."),
        ["afc-coaching-certificate"]
    );
}

#[test]
fn a_body_word_that_names_another_certificate_or_a_plain_membership_names_nothing() {
    assert!(found("CFA Institute Certificate in ESG Investing, 2022").is_empty());
    assert!(found("Member of the IEEE since 2010").is_empty());
    assert_eq!(
        found("Senior Member of the IEEE since 2010"),
        ["ieee-senior-member"]
    );
}

#[test]
fn a_level_written_with_its_abbreviation_in_chinese_names_its_entry() {
    assert_eq!(
        found("英国特许工程师（CEng，英国土木工程师学会）"),
        ["engc-ceng-ieng"]
    );
}

#[test]
fn an_issuer_named_without_its_leading_place_tells_a_name_apart() {
    assert_eq!(
        found("證照：諮商心理師（考選部專技高考及格，2015年）"),
        ["tw-counseling-psychologist"]
    );
}

#[test]
fn a_name_in_the_plural_is_still_the_name() {
    assert_eq!(
        found("I lead a team of Chartered Financial Analysts."),
        ["cfa-institute-cfa"]
    );
}
