//! The application form's errors: each at its control and all in one
//! summary, in the order of the form; a date's message names the part
//! (day, month or year) that is wrong.

use std::collections::HashMap;

use super::dates::{self, DATE_FIELDS};
use crate::cases::field_errors::{input_id, label, FieldErrors};
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::render::{Params, Problem};

/// The form's controls in the order a person meets them: the holder,
/// the profile's fields in their own order, then the certificate.
fn order() -> impl Iterator<Item = &'static str> + Clone {
    std::iter::once("holder_name")
        .chain(zige_rules::profile::FIELDS)
        .chain([
            "cert_number",
            "cert_issuer",
            "cert_issued_on",
            "cert_expires_on",
            "file",
        ])
}

#[derive(Default)]
pub struct FormErrors {
    at: HashMap<&'static str, String>,
    pub summary: Vec<Problem>,
}

impl FormErrors {
    /// The errors of the form holding `values`.
    pub fn of(t: &Tr, errors: &[ApiError], values: &Params) -> FormErrors {
        let mut out = FormErrors::default();
        let mut kept = Vec::new();
        for error in errors {
            let control = input_id(error.field.as_deref().unwrap_or(""));
            let part = DATE_FIELDS
                .iter()
                .find(|id| **id == control)
                .and_then(|id| {
                    let value = values.get(*id)?;
                    let text = dates::problem(t, &label(t, id), value)?;
                    Some((*id, text))
                });
            match part {
                Some((id, text)) if !out.at.contains_key(id) => {
                    out.at.insert(id, text.clone());
                    out.summary.push(Problem {
                        href: format!("#{id}"),
                        text,
                    });
                }
                Some(_) => {}
                None => kept.push(error.clone()),
            }
        }
        let base = FieldErrors::of(t, &kept);
        for id in order() {
            if let Some(text) = base.get(id) {
                out.at.entry(id).or_insert(text);
            }
        }
        out.summary.extend(base.summary);
        let rank = |problem: &Problem| {
            order()
                .position(|id| problem.href.strip_prefix('#') == Some(id))
                .unwrap_or(usize::MAX)
        };
        out.summary.sort_by_key(rank);
        out
    }

    /// What to say at control `id`, if anything.
    pub fn get(&self, id: &str) -> Option<String> {
        self.at.get(id).cloned()
    }
}
