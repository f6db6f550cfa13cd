//! `zige config --default`: print a commented configuration file.

use clap::Args;

use crate::failure::{Failure, Out};

#[derive(Args)]
pub(crate) struct ConfigArgs {
    #[arg(long)]
    default: bool,
}

/// Prints the default configuration file; without `--default`, says so.
pub(crate) fn run(args: ConfigArgs) -> Out {
    if !args.default {
        return Err(Failure::Input(
            "zige config takes --default (print a commented configuration file)".into(),
        ));
    }
    print!("{}", zige_web::config::DEFAULT_FILE);
    Ok(())
}
