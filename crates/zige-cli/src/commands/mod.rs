//! One module per subcommand, named as a user types it: its arguments and
//! what it does. Commands that read the catalogue come first, then
//! `serve` and `config`, then the commands on stored data.

pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod list;
pub(crate) mod mail;
pub(crate) mod search;
pub(crate) mod show;

pub(crate) mod config;
pub(crate) mod serve;

pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod backup;
pub(crate) mod blobs;
pub(crate) mod catalog;
pub(crate) mod demo;
pub(crate) mod keys;
pub(crate) mod migrate;
pub(crate) mod restore;
pub(crate) mod verify;
