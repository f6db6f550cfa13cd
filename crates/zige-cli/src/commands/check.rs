//! `zige check`: decide what a qualification brings a holder in Beijing,
//! and why, from flags or from a profile in JSON.

use std::io::Read;

use clap::Args;
use zige_catalog::Lang;
use zige_rules::{
    decide, parse_bool, parse_education, parse_nationality, parse_project, InputError, Policy,
    Profile,
};

use crate::editions::{catalog_for, SourceArgs};
use crate::failure::{Failure, Out};
use crate::render::print_json;

#[derive(Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Entry: U1..U7, G1..G115 or a stable id.
    #[arg(long, required_unless_present = "profile")]
    entry: Option<String>,
    /// A profile as JSON (file, or - for standard input).
    #[arg(long, conflicts_with = "entry")]
    profile: Option<String>,
    #[arg(long)]
    level: Option<String>,
    #[arg(long, value_name = "N")]
    experience_years: Option<String>,
    #[arg(long, value_name = "N")]
    age: Option<String>,
    #[arg(long, value_name = "foreign|chinese|hmt")]
    nationality: Option<String>,
    #[arg(long, value_name = "doctorate|master|bachelor|associate|none")]
    education: Option<String>,
    #[arg(long, value_name = "true|false")]
    beijing_employer: Option<String>,
    #[arg(long)]
    high_end_industry: bool,
    #[arg(long, value_name = "universal-studios")]
    project: Option<String>,
    #[arg(long)]
    json: bool,
}

/// Prints the decision for the profile the arguments describe.
pub(crate) fn run(args: CheckArgs, catalog_flag: Option<&str>, lang: Lang) -> Out {
    let catalog = catalog_for(catalog_flag, &args.source)?;
    let profile = match &args.profile {
        Some(source) => Profile::from_json(&read_profile(source)?).map_err(input)?,
        None => profile_from_flags(&args)?,
    };
    profile.validate().map_err(input)?;
    let decision = decide(catalog, Policy::builtin(), &profile).map_err(input)?;
    if args.json {
        return print_json(&decision);
    }
    print!("{}", decision.render(lang));
    Ok(())
}

fn input(e: InputError) -> Failure {
    Failure::Input(e.to_string())
}

/// The profile's JSON text: from a file, or from standard input for `-`.
fn read_profile(source: &str) -> Result<String, Failure> {
    if source == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Failure::Input(format!(
                "could not read the profile from standard input: {e}"
            ))
        })?;
        Ok(text)
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| Failure::Input(format!("could not read profile file '{source}': {e}")))
    }
}

/// A whole number of a flag, named `field` when it is not one.
fn number(field: &str, value: &Option<String>) -> Result<Option<u8>, Failure> {
    match value {
        None => Ok(None),
        Some(s) => s.trim().parse::<u8>().map(Some).map_err(|_| {
            Failure::Input(format!(
                "invalid value '{s}' for {field}: allowed a whole number"
            ))
        }),
    }
}

fn profile_from_flags(args: &CheckArgs) -> Result<Profile, Failure> {
    Ok(Profile {
        entry: args.entry.clone().unwrap_or_default(),
        level: args.level.clone(),
        experience_years: number("experience_years", &args.experience_years)?,
        age: number("age", &args.age)?,
        nationality: args
            .nationality
            .as_deref()
            .map(parse_nationality)
            .transpose()
            .map_err(input)?,
        education: args
            .education
            .as_deref()
            .map(parse_education)
            .transpose()
            .map_err(input)?,
        beijing_employer: args
            .beijing_employer
            .as_deref()
            .map(|v| parse_bool("beijing_employer", v))
            .transpose()
            .map_err(input)?,
        high_end_industry: args.high_end_industry,
        project: args
            .project
            .as_deref()
            .map(parse_project)
            .transpose()
            .map_err(input)?,
    })
}
