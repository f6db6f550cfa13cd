//! The catalogue: its entries, their search and filters, the eligibility
//! check, and the editions as open data; the operations here are shared by
//! the API ([`api`]) and the pages ([`pages`]). Finding every qualification
//! a pasted text names is [`text_search`], with both its faces.

mod advice;
pub mod api;
pub(crate) mod check;
mod entry;
mod guidance;
pub(crate) mod pages;
pub(crate) mod paging;
pub mod text_search;

use std::collections::HashMap;

use zige_catalog::{Catalog, Entry, TitleLevel};
use zige_search::Filters;

use crate::error::ApiError;

pub fn filters(query: &HashMap<String, String>) -> Result<Filters, ApiError> {
    let get = |k: &str| {
        query
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let title = match get("title") {
        None => None,
        Some(t) => Some(
            TitleLevel::parse(&t)
                .ok_or_else(|| ApiError::invalid("title", &t, "intermediate, deputy_senior"))?,
        ),
    };
    let experience = match get("experience") {
        None => None,
        Some(x) => Some(x.parse::<u8>().map_err(|_| {
            ApiError::invalid("experience", &x, "a whole number of years, 0 for none")
        })?),
    };
    if let Some(l) = get("list") {
        if !["urgent", "general", "u", "g"].contains(&l.to_ascii_lowercase().as_str()) {
            return Err(ApiError::invalid("list", &l, "urgent, general"));
        }
    }
    Ok(Filters {
        list: get("list"),
        field: get("field"),
        region: get("region"),
        title,
        experience,
    })
}

pub(crate) fn number(
    query: &HashMap<String, String>,
    key: &str,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ApiError> {
    // Present means a number: `?page=` is not one (the document says integer).
    match query.get(key).map(String::as_str) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(key, v, &format!("a whole number from {min} to {max}"))
            }),
    }
}

pub fn find_entry<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a Entry, ApiError> {
    catalog.find(id).ok_or_else(|| {
        ApiError::not_found(
            "entry",
            id,
            catalog
                .suggest(id)
                .iter()
                .map(|e| format!("{} {}", e.code, e.name.en))
                .collect(),
        )
    })
}
