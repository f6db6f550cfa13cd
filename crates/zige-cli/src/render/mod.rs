//! Output for people and scripts: pretty JSON, the choice between Chinese
//! and English text, and the text of entries, lists, search answers and
//! edition differences.

pub(crate) mod diff;
pub(crate) mod entry;
pub(crate) mod entry_table;
pub(crate) mod search_answer;
pub(crate) mod table;
pub(crate) mod text_answer;

use std::io::Write;

use zige_catalog::Lang;

use crate::failure::Out;

/// Prints `value` as pretty JSON and a newline on standard output.
pub(crate) fn print_json(value: &impl serde::Serialize) -> Out {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// `zh` or `en`, whichever `lang` asks for.
pub(crate) fn by_language<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
