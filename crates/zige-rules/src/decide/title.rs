//! The title phase: the professional title an entry corresponds to, and
//! whether the profile meets its basic conditions (education and years).

use zige_catalog::{Bilingual, Entry, TitleLevel};

use super::{cat, remark_quote, step, t, Context, Missing, TitleOutcome};
use crate::policy::{MinYears, TitleRow};
use crate::profile::{Education, Profile};
use crate::text::Text;

impl Context<'_> {
    /// Title correspondence and its basic conditions.
    pub(super) fn title(&mut self) -> Option<TitleOutcome> {
        let entry = self.entry;
        let Some(level) = entry.title else {
            self.trace.push(step(
                "title.correspondence",
                "none",
                remark_quote(&entry.remark.zh, &entry.remark.en),
                t(
                    "目录未规定该证书对应职称。",
                    "The catalogue gives this qualification no professional-title correspondence.",
                ),
            ));
            return None;
        };
        let row = self.policy.title(level);
        self.trace.push(step(
            "title.correspondence",
            level.code(),
            title_clause(entry, level),
            t(
                cat(&["该证书对应", &row.name.zh, "。"]),
                cat(&["This qualification corresponds to an ", &row.name.en, "."]),
            ),
        ));
        let (met, outcome, m) = basic_conditions(row, self.profile, &mut self.missing);
        self.trace.push(step(
            "title.basic_conditions",
            outcome,
            row.basis.clone(),
            m,
        ));
        Some(TitleOutcome {
            level,
            basic_conditions_met: met,
        })
    }
}

fn basic_conditions(
    row: &TitleRow,
    profile: &Profile,
    missing: &mut Missing,
) -> (Option<bool>, &'static str, Text) {
    let Some(edu) = profile.education else {
        missing.add("education");
        if profile.experience_years.is_none() {
            missing.add("experience_years");
        }
        return (None, "undecided", t(format!("需补充学历，才能判断是否符合{}的基本条件。", row.name.zh), format!("Your education is needed to tell whether the basic conditions of an {} are met.", row.name.en)));
    };
    let (ezh, een) = education_name(edu);
    match (row.min_years(edu), profile.experience_years) {
        (MinYears::Never, _) => (
            Some(false),
            "unmet",
            t(
                format!("{ezh}学历不能申报{}。", row.name.zh),
                format!("With {een}, an {} cannot be obtained.", row.name.en),
            ),
        ),
        (MinYears::Years(0), _) => (
            Some(true),
            "met",
            t(
                format!("{ezh}学历即符合{}的基本条件。", row.name.zh),
                format!(
                    "With {een}, the basic conditions of an {} are met.",
                    row.name.en
                ),
            ),
        ),
        (MinYears::Years(n), None) => {
            missing.add("experience_years");
            (None, "undecided", t(format!("{ezh}学历需{n}年工作经验，未填写工作年限。"), format!("With {een}, {n} years of experience are needed; your years of experience are not given.")))
        }
        (MinYears::Years(n), Some(y)) if y >= n => (
            Some(true),
            "met",
            t(
                format!("{ezh}学历需{n}年工作经验，您有{y}年，符合。"),
                format!("With {een}, {n} years of experience are needed; you have {y}: met."),
            ),
        ),
        (MinYears::Years(n), Some(y)) => (
            Some(false),
            "unmet",
            t(
                format!("{ezh}学历需{n}年工作经验，您有{y}年，不符合。"),
                format!("With {een}, {n} years of experience are needed; you have {y}: not met."),
            ),
        ),
    }
}

/// A title row as the trace quotes it, with its source.
pub(crate) fn title_row_basis(
    name: &Bilingual,
    min_years: &[MinYears; 5],
    source: &Bilingual,
) -> Text {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for (e, m) in Education::ALL.iter().zip(min_years) {
        let (ezh, een) = education_name(*e);
        match m {
            MinYears::Never => {
                zh.push(format!("{ezh}不可"));
                en.push(format!("{een} never"));
            }
            MinYears::Years(n) => {
                zh.push(format!("{ezh}{n}年"));
                en.push(format!("{een} {n} years"));
            }
        }
    }
    t(
        format!(
            "{}基本条件（学历及最低工作年限）：{}（{}）",
            name.zh,
            zh.join("，"),
            source.zh
        ),
        format!(
            "Basic conditions of an {} (education, minimum years of experience): {} ({})",
            name.en,
            en.join(", "),
            source.en
        ),
    )
}

/// The remark's sentence on the title, in both languages.
fn title_clause(entry: &Entry, level: TitleLevel) -> Text {
    let zh = entry
        .remark
        .zh
        .split(['。', '；'])
        .find(|s| s.contains("职称"))
        .map(str::trim);
    let en = entry
        .remark
        .en
        .split(". ")
        .find(|s| s.contains("Corresponds to"))
        .map(|s| s.trim().trim_end_matches('.'));
    let fallback = level.name();
    remark_quote(zh.unwrap_or(&fallback.zh), en.unwrap_or(&fallback.en))
}

/// Chinese and English names of an education level.
pub fn education_name(education: Education) -> (&'static str, &'static str) {
    match education {
        Education::Doctorate => ("博士", "a doctorate"),
        Education::Master => ("硕士", "a master's degree"),
        Education::Bachelor => ("本科", "a bachelor's degree"),
        Education::Associate => ("大专", "an associate degree (大专)"),
        Education::None => ("无学历", "no degree"),
    }
}
