//! `zige`: the command line of Zige. It reads the built-in catalogue (or a
//! file given to it), runs the pure core, and prints tables or JSON.
//! Exit status: 0 success, 2 rejected input (with one line naming the
//! field, the value and what is allowed), 1 anything else.
//!
//! This file parses the arguments and hands each subcommand to its module
//! in `commands/`; output is shaped in `render/`.

mod commands;
mod editions;
mod failure;
mod filters;
mod language;
mod render;
mod store;
mod web;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use commands::catalog::{self, CatalogCommand};
use commands::{
    admin, audit, backup, blobs, check, config, demo, diff, export, import, keys, list, mail,
    migrate, restore, search, serve, show, verify,
};
use failure::{Failure, Out};
use store::StoreArgs;

#[derive(Parser)]
#[command(
    name = "zige",
    version,
    about = "Zige 资格: Beijing's catalogue of recognised overseas professional qualifications — search it, read it, check what a qualification brings."
)]
struct Cli {
    /// Language of human output: zh or en (default: from LANG, else en).
    #[arg(long, global = true, value_name = "zh|en")]
    lang: Option<String>,
    /// Edition to use, e.g. beijing/3.0 (default: the newest built in).
    #[arg(long, global = true, value_name = "JURISDICTION/VERSION")]
    catalog: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List entries, optionally filtered.
    List(list::ListArgs),
    /// Show one entry by id, or by list code such as U1 or G31.
    Show(show::ShowArgs),
    /// Search in Chinese or English.
    Search(search::SearchArgs),
    /// Decide what a qualification brings a holder in Beijing, and why.
    Check(check::CheckArgs),
    /// Validate an official text and print it as a structured catalogue.
    Import(import::ImportArgs),
    /// Compare two editions: files of official text, or built-in versions like beijing/3.0.
    Diff(diff::DiffArgs),
    /// Serve the bilingual pages and the JSON API.
    Serve(Box<serve::ServeArgs>),
    /// Print configuration: `--default` prints a commented config file.
    Config(config::ConfigArgs),
    /// Catalogue editions: import a new official text as a draft, publish it from a date, discard it, list editions.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Apply the database migrations (serve does this at start-up too).
    Migrate(StoreArgs),
    /// Accounts: create the first admin, reviewers.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// The keys decisions and credentials are signed with: rotate.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// The outbox: messages queued, sent and failed.
    #[command(subcommand)]
    Mail(mail::MailCommand),
    /// Demo data: synthetic applications and decisions for the statistics.
    #[command(subcommand)]
    Demo(demo::DemoCommand),
    /// Evidence files: remove those no record refers to.
    #[command(subcommand)]
    Blobs(blobs::BlobsCommand),
    /// Write a consistent backup (database and evidence) while the server runs.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty data directory or database.
    Restore(restore::RestoreArgs),
    /// Check a downloaded decision's signature offline.
    Verify(verify::VerifyArgs),
    /// Export the catalogue as open data.
    Export(export::ExportArgs),
}

/// Blocks of 4 MiB and more (an argon2id hash takes 19 MiB) are mapped
/// and unmapped one by one. Without this, glibc raises its threshold after
/// the first such block is freed and keeps later ones on its heaps, so every
/// password hash left about 10 MB resident (263 MB after 20 sign-ins).
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
}

fn main() -> ExitCode {
    return_large_blocks_to_the_system();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("zige: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Other(e)) => {
            eprintln!("zige: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Hands the subcommand to its module, with the global options it needs.
fn run(cli: Cli) -> Out {
    let lang = language::from_flag_or_locale(cli.lang.as_deref())?;
    let catalog = cli.catalog.as_deref();
    match cli.command {
        Command::List(args) => list::run(args, catalog, lang),
        Command::Show(args) => show::run(args, catalog, lang),
        Command::Search(args) => search::run(args, catalog, lang),
        Command::Check(args) => check::run(args, catalog, lang),
        Command::Import(args) => import::run(args, lang),
        Command::Diff(args) => diff::run(args, lang),
        Command::Export(args) => export::run(args, catalog),
        Command::Catalog(command) => catalog::run(command, lang),
        Command::Serve(args) => serve::run(*args),
        Command::Config(args) => config::run(args),
        Command::Migrate(args) => migrate::run(args),
        Command::Admin(command) => admin::run(command),
        Command::Audit(command) => audit::run(command),
        Command::Keys(command) => keys::run(command),
        Command::Mail(command) => mail::run(command),
        Command::Demo(command) => demo::run(command),
        Command::Blobs(command) => blobs::run(command),
        Command::Backup(args) => backup::run(args),
        Command::Restore(args) => restore::run(args),
        Command::Verify(args) => verify::run(args),
    }
}
