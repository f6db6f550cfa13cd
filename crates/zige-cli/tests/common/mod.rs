//! The harness the `zige` test binaries share: running the binary, a real
//! `zige serve` process, an HTTP client of its API, temporary directories
//! and PostgreSQL databases.

// Each test binary compiles this harness and uses a part of it.
#![allow(dead_code)]

pub mod client;
pub mod postgres;
pub mod run;
pub mod server;
pub mod temp;
