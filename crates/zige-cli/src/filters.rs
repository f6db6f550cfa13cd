//! The filter options `zige list` and `zige search` share, checked into
//! the search crate's `Filters`.

use clap::Args;
use zige_catalog::TitleLevel;
use zige_search::Filters;

use crate::failure::Failure;

#[derive(Args, Default)]
pub(crate) struct FilterArgs {
    /// urgent or general.
    #[arg(long = "list", value_name = "urgent|general")]
    list: Option<String>,
    /// Field key, Chinese or English name (e.g. finance, 金融).
    #[arg(long)]
    field: Option<String>,
    /// Region ISO code or name (e.g. GB, 英国), or "international".
    #[arg(long)]
    region: Option<String>,
    /// intermediate or deputy_senior.
    #[arg(long, value_name = "intermediate|deputy_senior")]
    title: Option<String>,
    /// Years of experience the entry requires (0 = none).
    #[arg(long, value_name = "YEARS")]
    experience: Option<u8>,
}

impl FilterArgs {
    /// The filters, or the first value that is not allowed.
    pub(crate) fn parse(self) -> Result<Filters, Failure> {
        let title = match self.title.as_deref() {
            None => None,
            Some(t) => Some(TitleLevel::parse(t).ok_or_else(|| {
                Failure::Input(format!(
                    "invalid value '{t}' for --title: allowed intermediate, deputy_senior"
                ))
            })?),
        };
        if let Some(l) = &self.list {
            let ok = ["urgent", "general", "u", "g"].contains(&l.to_ascii_lowercase().as_str());
            if !ok {
                return Err(Failure::Input(format!(
                    "invalid value '{l}' for --list: allowed urgent, general"
                )));
            }
        }
        Ok(Filters {
            list: self.list,
            field: self.field,
            region: self.region,
            title,
            experience: self.experience,
        })
    }
}
