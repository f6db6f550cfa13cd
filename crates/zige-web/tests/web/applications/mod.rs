//! Applications: drafts saved, checked, given evidence and submitted,
//! through the API and the pages; every field checked and named when
//! refused.

mod api;
mod journey;
mod pages;
mod text_fields;
