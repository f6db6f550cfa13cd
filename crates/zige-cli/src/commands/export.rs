//! `zige export`: the catalogue as open data (JSON, CSV, XLSX, JSON-LD).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::editions::{catalog_for, SourceArgs};
use crate::failure::{Failure, Out};

#[derive(Args)]
pub(crate) struct ExportArgs {
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Output file (default: standard output).
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Json,
    Csv,
    Xlsx,
    Jsonld,
}

/// Writes the export to the output file or standard output; XLSX is not
/// written to a terminal.
pub(crate) fn run(args: ExportArgs, catalog_flag: Option<&str>) -> Out {
    let catalog = catalog_for(catalog_flag, &args.source)?;
    let format = match args.format {
        ExportFormat::Json => zige_export::Format::Json,
        ExportFormat::Csv => zige_export::Format::Csv,
        ExportFormat::Xlsx => zige_export::Format::Xlsx,
        ExportFormat::Jsonld => zige_export::Format::JsonLd,
    };
    let bytes = zige_export::export(catalog, format)?;
    match args.output {
        Some(p) => std::fs::write(&p, &bytes)
            .map_err(|e| Failure::Input(format!("could not write '{}': {e}", p.display())))?,
        None => {
            if format == zige_export::Format::Xlsx && std::io::stdout().is_terminal() {
                return Err(Failure::Input(
                    "refusing to write a binary XLSX to the terminal: give -o FILE or redirect"
                        .into(),
                ));
            }
            std::io::stdout().lock().write_all(&bytes)?;
        }
    }
    Ok(())
}
