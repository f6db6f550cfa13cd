//! The recognition phase: the level held, the project, the years of
//! experience, and the conclusion drawn from them.

use zige_catalog::{Experience, ExperienceUnit, LevelKind, Levels};

use super::{cat, rejection, remark_quote, step, t, Context, Item};
use crate::level::{match_level, Via};
use crate::profile::InputError;
use crate::text::Text;

/// What the recognition phase found.
pub(super) struct Recognition {
    /// The canonical level code the given level was mapped to.
    pub level_used: Option<String>,
    /// Null only when the years of experience are missing.
    pub recognized: Option<bool>,
    pub unmet: Vec<Item>,
}

impl Context<'_> {
    /// Recognition: level, then experience, then the conclusion.
    pub(super) fn recognize(&mut self) -> Result<Recognition, InputError> {
        let mut unmet = Vec::new();
        let level_used = self.check_level(&mut unmet)?;
        self.check_project();
        let experience_undecided = self.check_experience(&mut unmet);
        let recognized = if !unmet.is_empty() {
            Some(false)
        } else if experience_undecided {
            self.missing.add("experience_years");
            None
        } else {
            Some(true)
        };
        self.conclude_recognition(recognized);
        Ok(Recognition {
            level_used,
            recognized,
            unmet,
        })
    }

    /// The level held against the entry's levels or variants; returns the
    /// canonical code it was read as. An unknown level is rejected.
    fn check_level(&mut self, unmet: &mut Vec<Item>) -> Result<Option<String>, InputError> {
        let entry = self.entry;
        let name_basis = || {
            t(
                cat(&["目录名称：“", &entry.name.zh, "”"]),
                cat(&["Catalogue name: “", &entry.name.en, "”"]),
            )
        };
        match (&entry.levels, &self.profile.level) {
            (Some(levels), None) => {
                self.missing.add("level");
                let m = level_required_message(levels);
                self.trace
                    .push(step("recognition.level", "unmet", name_basis(), m.clone()));
                unmet.push(Item {
                    code: "level_required".into(),
                    message: m,
                });
                Ok(None)
            }
            (Some(levels), Some(text)) => {
                let (code, via) = match_level(entry, levels, text)
                    .map_err(|miss| rejection::unknown_level(levels, text, miss))?;
                let (outcome, code_unmet, mut m) = level_outcome(levels, code);
                if via != Via::Code {
                    m = t(
                        format!("“{}”按 {code} 处理。{}", text.trim(), m.zh),
                        format!("“{}” read as {code}. {}", text.trim(), m.en),
                    );
                }
                self.trace
                    .push(step("recognition.level", outcome, name_basis(), m.clone()));
                if let Some(c) = code_unmet {
                    unmet.push(Item {
                        code: c.into(),
                        message: m,
                    });
                }
                Ok(Some(code.to_string()))
            }
            (None, Some(text)) => {
                self.trace.push(step(
                    "recognition.level",
                    "ignored",
                    name_basis(),
                    t(
                        format!("该条目不分级别，所填级别“{}”不影响认定。", text.trim()),
                        format!("This qualification has no levels or variants; the level given (“{}”) is ignored.", text.trim()),
                    ),
                ));
                Ok(None)
            }
            (None, None) => Ok(None),
        }
    }

    /// A project the entry's remark says nothing about changes nothing.
    fn check_project(&mut self) {
        let entry = self.entry;
        if let (Some(p), None) = (self.profile.project, self.waiver) {
            self.trace.push(step(
                "recognition.project",
                "not_applicable",
                remark_quote(&entry.remark.zh, &entry.remark.en),
                t(
                    format!("该条目备注未对项目 {} 作特别规定，不影响认定。", p.code()),
                    format!("This entry's remark says nothing about the {} project; it changes nothing here.", p.code()),
                ),
            ));
        }
    }

    /// The entry's experience requirement: absent, waived for the project,
    /// or checked against the years given. True when the years are missing.
    fn check_experience(&mut self, unmet: &mut Vec<Item>) -> bool {
        let entry = self.entry;
        let Some(req) = &entry.experience else {
            self.trace.push(step(
                "recognition.experience",
                "not_applicable",
                remark_quote(&entry.remark.zh, &entry.remark.en),
                t(
                    "目录对该证书没有工作年限要求。",
                    "The catalogue asks for no minimum work experience for this qualification.",
                ),
            ));
            return false;
        };
        let Some(w) = self.waiver else {
            return self.compare_experience(req, unmet);
        };
        let (unit_zh, unit_en) = unit_names(req.years, req.unit);
        let n = req.years;
        self.trace.push(step(
            "recognition.experience",
            "waived",
            remark_quote(&w.text.zh, &w.text.en),
            {
                let (pzh, pen) = self.profile.project.map(|p| p.name()).unwrap_or_default();
                t(format!("参与{pzh}，免除{n}{unit_zh}相关工作经验的要求。"), format!("For {pen}, the requirement of {n} {unit_en} of relevant experience does not apply."))
            },
        ));
        false
    }

    /// The years given against the years required. True when they are missing.
    fn compare_experience(&mut self, req: &Experience, unmet: &mut Vec<Item>) -> bool {
        let (unit_zh, unit_en) = unit_names(req.years, req.unit);
        let n = req.years;
        let basis = remark_quote(&req.text.zh, &req.text.en);
        match self.profile.experience_years {
            None => {
                self.trace.push(step(
                    "recognition.experience",
                    "undecided",
                    basis,
                    t(format!("需要{n}{unit_zh}相关工作经验，未填写工作年限。"), format!("{n} {unit_en} of relevant work experience are required; your years of experience are not given.")),
                ));
                return true;
            }
            Some(y) if y < n => {
                let m = t(
                    format!("需要{n}{unit_zh}相关工作经验，您填写的是{y}年。"),
                    format!(
                        "{n} {unit_en} of relevant work experience are required; you have {y} {}.",
                        if y == 1 { "year" } else { "years" }
                    ),
                );
                self.trace
                    .push(step("recognition.experience", "unmet", basis, m.clone()));
                unmet.push(Item {
                    code: "experience_insufficient".into(),
                    message: m,
                });
            }
            Some(y) => self.trace.push(step(
                "recognition.experience",
                "met",
                basis,
                t(
                    format!("需要{n}{unit_zh}相关工作经验，您有{y}年，符合要求。"),
                    format!(
                        "{n} {unit_en} of relevant work experience are required; you have {y}."
                    ),
                ),
            )),
        }
        false
    }

    /// The conclusion of recognition, as the trace states it.
    fn conclude_recognition(&mut self, recognized: Option<bool>) {
        let entry = self.entry;
        let entry_basis = t(
            cat(&["目录条目 ", &entry.code, "：“", &entry.name.zh, "”"]),
            cat(&["Catalogue entry ", &entry.code, ": “", &entry.name.en, "”"]),
        );
        self.trace.push(match recognized {
            Some(true) => step(
                "recognition",
                "recognized",
                entry_basis,
                t("证书予以认可。", "The qualification is recognised."),
            ),
            Some(false) => step(
                "recognition",
                "not_recognized",
                entry_basis,
                t(
                    "证书不予认可：上述条件未满足。",
                    "The qualification is not recognised: a condition above is not met.",
                ),
            ),
            None => step(
                "recognition",
                "undecided",
                entry_basis,
                t(
                    "尚不能判断是否认可：请补充工作年限。",
                    "Recognition cannot be decided yet: your years of experience are needed.",
                ),
            ),
        });
    }
}

/// A level as a reader knows it: its label, with the code where they differ.
fn level_name(levels: &Levels, code: &str) -> (String, String) {
    let label = levels
        .codes
        .iter()
        .chain(&levels.not_recognised)
        .find(|l| l.code == code)
        .map(|l| &l.label);
    let show = |label: Option<&str>, open: &str, close: &str| match label {
        Some(l) if !l.trim().is_empty() && !l.contains(code) => cat(&[l, open, code, close]),
        Some(l) if !l.trim().is_empty() => l.to_string(),
        _ => code.to_string(),
    };
    (
        show(label.map(|l| l.zh.as_str()), "（", "）"),
        show(label.map(|l| l.en.as_str()), " (", ")"),
    )
}

fn level_outcome(levels: &Levels, code: &str) -> (&'static str, Option<&'static str>, Text) {
    let recognized = || levels.codes.iter().map(|l| l.code.as_str());
    let (zh, en) = level_name(levels, code);
    if levels.not_recognised.iter().any(|l| l.code == code)
        || (levels.kind == LevelKind::Variants && !recognized().any(|c| c == code))
    {
        let list: Vec<&str> = recognized().collect();
        return (
            "unmet",
            Some("variant_not_recognised"),
            t(
                format!("{zh}不在认可范围内（认可：{}）。", list.join("、")),
                format!(
                    "{en} is not among the recognised variants ({}).",
                    list.join(", ")
                ),
            ),
        );
    }
    match (&levels.kind, &levels.minimum) {
        (LevelKind::Scale, Some(min)) => {
            let at = recognized().position(|c| c == code);
            let min_at = recognized().position(|c| c == min);
            let (min_zh, min_en) = level_name(levels, min);
            match (at, min_at) {
                (Some(a), Some(m)) if a < m => (
                    "unmet",
                    Some("level_below_minimum"),
                    t(format!("所持级别{zh}低于认可的最低级别{min_zh}。"), format!("Your level, {en}, is below {min_en}, the lowest level recognised.")),
                ),
                _ if code == min => ("met", None, t(format!("所持级别{zh}即认可的最低级别，符合。"), format!("Your level, {en}, is the lowest level recognised."))),
                _ => ("met", None, t(format!("所持级别{zh}不低于认可的最低级别{min_zh}，符合。"), format!("Your level, {en}, is at or above {min_en}, the lowest level recognised."))),
            }
        }
        _ => (
            "met",
            None,
            t(
                format!("{zh}在认可范围内。"),
                format!("{en} is recognised."),
            ),
        ),
    }
}

fn level_required_message(levels: &Levels) -> Text {
    let codes: Vec<&str> = levels.codes.iter().map(|l| l.code.as_str()).collect();
    match (&levels.kind, &levels.minimum) {
        (LevelKind::Scale, Some(min)) => t(
            format!("该证书按级别认可（{min} 级及以上），请填写所持级别（{}）。", codes.join("、")),
            format!("This qualification is recognised from level {min} up; give the level you hold ({}).", codes.join(", ")),
        ),
        _ => t(
            format!("该证书只认可部分类别（{}），请填写所持类别。", codes.join("、")),
            format!("Only some variants of this qualification are recognised ({}); give the one you hold.", codes.join(", ")),
        ),
    }
}

fn unit_names(n: u8, unit: ExperienceUnit) -> (&'static str, &'static str) {
    match (unit, n == 1) {
        (ExperienceUnit::Years, true) => ("年", "year"),
        (ExperienceUnit::Years, false) => ("年", "years"),
        (ExperienceUnit::AcademicYears, true) => ("学年", "academic year"),
        (ExperienceUnit::AcademicYears, false) => ("学年", "academic years"),
    }
}
