//! Paging through a long list of results in the GOV.UK manner: "Previous"
//! and "Next" links around "Showing 21–40 of 57".

use crate::i18n::Tr;

/// Results on one page of search results.
pub const PER_PAGE: usize = 20;

/// The page a `?page=` asks for: 1 when absent or not a page number.
pub fn asked_page(value: Option<&String>) -> usize {
    value
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|p| (1..=10_000).contains(p))
        .unwrap_or(1)
}

/// The page asked for, no further than the last page of `total` results.
pub fn clamp_page(page: usize, total: usize) -> usize {
    let last = total.div_ceil(PER_PAGE).max(1);
    page.clamp(1, last)
}

/// The links and the words around one page of `total` results.
pub struct Pager {
    /// "Showing 21–40 of 57".
    pub showing: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// The pager of page `page` (1-based) of `total` results, linking to
    /// `base` with `&page=N` (or `?page=N` when `base` has no query); none
    /// when everything fits on one page.
    pub fn new(tr: &Tr, base: &str, page: usize, total: usize) -> Option<Pager> {
        if total <= PER_PAGE {
            return None;
        }
        let from = (page - 1) * PER_PAGE + 1;
        let to = (page * PER_PAGE).min(total);
        let join = if base.contains('?') { '&' } else { '?' };
        let link = |p: usize| format!("{base}{join}page={p}");
        Some(Pager {
            showing: tr.with(
                "names-pager-showing",
                &[
                    ("from", from.to_string()),
                    ("to", to.to_string()),
                    ("total", total.to_string()),
                ],
            ),
            previous: (page > 1).then(|| link(page - 1)),
            next: (to < total).then(|| link(page + 1)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zige_catalog::Lang;

    #[test]
    fn pages_link_both_ways_and_say_where_they_are() {
        let tr = Tr { lang: Lang::En };
        assert!(Pager::new(&tr, "/search?q=x", 1, 20).is_none());
        let first = Pager::new(&tr, "/search?q=x", 1, 57).unwrap();
        assert_eq!(first.showing, "Showing 1–20 of 57");
        assert_eq!(first.previous, None);
        assert_eq!(first.next.as_deref(), Some("/search?q=x&page=2"));
        let last = Pager::new(&tr, "/search?q=x", 3, 57).unwrap();
        assert_eq!(last.showing, "Showing 41–57 of 57");
        assert_eq!(last.previous.as_deref(), Some("/search?q=x&page=2"));
        assert_eq!(last.next, None);
        assert_eq!(clamp_page(9, 57), 3);
        assert_eq!(asked_page(Some(&"abc".to_string())), 1);
    }
}
