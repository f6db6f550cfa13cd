//! Zige's web adapter as its users see it, in one test binary: each
//! module is a feature as users name it, each test a story.

mod fixtures;
mod helpers;

mod accounts;
mod admin;
mod applications;
mod batch;
mod catalogue;
mod contract;
mod credentials;
mod decisions;
mod editions;
mod faults;
mod permissions;
mod reason_templates;
mod review;
mod service;
mod statistics;
mod text_search;
