//! Old paths of the cases' API helpers, kept while other modules still use
//! them; the code is in [`crate::extract`] and [`crate::cases`].

pub use crate::cases::CasesDoc;
pub use crate::extract::{json_body, opt_whole, whole};
