//! The decision: recognition, title, benefits, obligations and notes for
//! one profile, with the trace of every rule applied and what it rests on.
//! The rules are those of `recognition-rules.md`; the policy facts come
//! from the [`Policy`].

use serde::{Deserialize, Serialize};
use zige_catalog::text::norm_key;
use zige_catalog::{
    split_code, Bilingual, Catalog, Entry, ExperienceUnit, LevelKind, Levels, TitleLevel,
};

use crate::level::{all_codes, match_level, LevelMiss, Via};
use crate::policy::{AgeCondition, Benefit, MinYears, Policy, TitleRow};
use crate::profile::{field_zh, Education, InputError, Nationality, Profile, FIELDS};
use crate::text::{SharedStr, Text};

/// The entry a decision is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryRef {
    pub id: String,
    pub list: String,
    pub seq: u32,
    pub code: String,
    pub name: Text,
}

/// A coded statement with its message (unmet condition, benefit, obligation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: SharedStr,
    pub message: Text,
}

/// A benefit not granted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Withheld {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: SharedStr,
    /// `not_recognised`, `no_beijing_employer`, `age_over_limit` or `basic_conditions_unmet`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub reason: SharedStr,
    pub message: Text,
}

/// The professional title an entry corresponds to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TitleOutcome {
    pub level: TitleLevel,
    /// Null while education or experience is unknown.
    pub basic_conditions_met: Option<bool>,
}

/// One rule applied: its name, its outcome, the text it rests on
/// (quoted from the catalogue or the policy) and what it concluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// `recognition.level`, `recognition.experience`, `title.basic_conditions`, `benefit.port_visa`…
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub rule: SharedStr,
    /// `met`, `unmet`, `undecided`, `waived`, `ignored`, `not_applicable`,
    /// `recognized`, `not_recognized`, `granted`, `withheld`, `listed`…
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub outcome: SharedStr,
    pub basis: Text,
    pub message: Text,
}

/// What `zige check` answers for a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// `beijing/3.0`.
    pub catalog: String,
    /// `beijing/2023`: the policy's own id and version.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub policy: SharedStr,
    pub entry: EntryRef,
    /// The canonical level code the given level was mapped to.
    pub level_used: Option<String>,
    /// Null only when a missing field leaves it undecidable.
    pub recognized: Option<bool>,
    pub unmet: Vec<Item>,
    pub title: Option<TitleOutcome>,
    pub benefits: Vec<Item>,
    pub withheld: Vec<Withheld>,
    pub obligations: Vec<Item>,
    /// Exemptions, waivers and other remarks of the entry, and policy notes.
    pub notes: Vec<Text>,
    /// Profile fields that would settle what is undecided.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub missing: Vec<SharedStr>,
    pub trace: Vec<Step>,
}

/// A condition of a benefit.
enum Cond {
    Met,
    /// Reason code and, for the benefit-specific conditions, the message.
    Unmet(&'static str, Option<Text>),
    Unknown(&'static str),
}

/// The fields that would settle what is undecided, in profile order.
struct Missing([bool; FIELDS.len()]);

impl Missing {
    fn add(&mut self, field: &str) {
        if let Some(i) = FIELDS.iter().position(|f| *f == field) {
            self.0[i] = true;
        }
    }
    fn list(&self) -> Vec<SharedStr> {
        FIELDS
            .iter()
            .zip(self.0)
            .filter(|(_, on)| *on)
            .map(|(f, _)| SharedStr::Static(f))
            .collect()
    }
}

fn step(rule: impl Into<SharedStr>, outcome: &'static str, basis: Text, message: Text) -> Step {
    Step {
        rule: rule.into(),
        outcome: SharedStr::Static(outcome),
        basis,
        message,
    }
}

fn t(zh: impl Into<SharedStr>, en: impl Into<SharedStr>) -> Text {
    Text::new(zh, en)
}

/// Joins parts into a string allocated once.
fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// `目录备注：“…”` / `Catalogue remark: “…”`.
fn remark_quote(zh: &str, en: &str) -> Text {
    t(
        cat(&["目录备注：“", zh, "”"]),
        cat(&["Catalogue remark: “", en, "”"]),
    )
}

/// Decides a profile against an entry of `catalog` under `policy`.
/// Rejects input outside the allowed values (ranges, unknown entry,
/// unknown level) with an [`InputError`]; everything else is answered,
/// with what cannot be decided left null and its fields in `missing`.
pub fn decide(
    catalog: &Catalog,
    policy: &Policy,
    profile: &Profile,
) -> Result<Decision, InputError> {
    profile.validate()?;
    let entry = catalog
        .find(&profile.entry)
        .ok_or_else(|| unknown_entry(catalog, &profile.entry))?;
    let mut missing = Missing([false; FIELDS.len()]);
    let mut trace = Vec::with_capacity(20);
    let mut unmet = Vec::new();
    let catalog_key = catalog.id.to_string();

    if !policy.catalogs.is_empty() && !policy.catalogs.contains(&catalog_key) {
        trace.push(step(
            "policy.scope",
            "other_catalog",
            (&policy.name).into(),
            t(
                format!(
                    "政策 {} 针对目录 {}，此处用于 {}。",
                    policy.key(),
                    policy.catalogs.join("、"),
                    catalog_key
                ),
                format!(
                    "Policy {} is written for catalogue {}; it is applied here to {}.",
                    policy.key(),
                    policy.catalogs.join(", "),
                    catalog_key
                ),
            ),
        ));
    }

    // 1. Recognition: level, then experience.
    let name_basis = || {
        t(
            cat(&["目录名称：“", &entry.name.zh, "”"]),
            cat(&["Catalogue name: “", &entry.name.en, "”"]),
        )
    };
    let mut level_used = None;
    match (&entry.levels, &profile.level) {
        (Some(levels), None) => {
            missing.add("level");
            let m = level_required_message(levels);
            trace.push(step("recognition.level", "unmet", name_basis(), m.clone()));
            unmet.push(Item { code: "level_required".into(), message: m });
        }
        (Some(levels), Some(text)) => {
            let (code, via) = match_level(entry, levels, text).map_err(|miss| unknown_level(levels, text, miss))?;
            level_used = Some(code.to_string());
            let (outcome, code_unmet, mut m) = level_outcome(levels, code);
            if via != Via::Code {
                m = t(format!("“{}”按 {code} 处理。{}", text.trim(), m.zh), format!("“{}” read as {code}. {}", text.trim(), m.en));
            }
            trace.push(step("recognition.level", outcome, name_basis(), m.clone()));
            if let Some(c) = code_unmet {
                unmet.push(Item { code: c.into(), message: m });
            }
        }
        (None, Some(text)) => trace.push(step(
            "recognition.level",
            "ignored",
            name_basis(),
            t(
                format!("该条目不分级别，所填级别“{}”不影响认定。", text.trim()),
                format!("This qualification has no levels or variants; the level given (“{}”) is ignored.", text.trim()),
            ),
        )),
        (None, None) => {}
    }

    let waiver = profile
        .project
        .and_then(|p| entry.waivers.iter().find(|w| w.code == p.waiver()));
    if let (Some(p), None) = (profile.project, waiver) {
        trace.push(step(
            "recognition.project",
            "not_applicable",
            remark_quote(&entry.remark.zh, &entry.remark.en),
            t(
                format!("该条目备注未对项目 {} 作特别规定，不影响认定。", p.code()),
                format!("This entry's remark says nothing about the {} project; it changes nothing here.", p.code()),
            ),
        ));
    }
    let mut experience_undecided = false;
    match &entry.experience {
        Some(req) => {
            let (unit_zh, unit_en) = unit_names(req.years, req.unit);
            let n = req.years;
            if let Some(w) = waiver {
                trace.push(step(
                    "recognition.experience",
                    "waived",
                    remark_quote(&w.text.zh, &w.text.en),
                    {
                        let (pzh, pen) = profile.project.map(|p| p.name()).unwrap_or_default();
                        t(format!("参与{pzh}，免除{n}{unit_zh}相关工作经验的要求。"), format!("For {pen}, the requirement of {n} {unit_en} of relevant experience does not apply."))
                    },
                ));
            } else {
                let basis = remark_quote(&req.text.zh, &req.text.en);
                match profile.experience_years {
                    None => {
                        experience_undecided = true;
                        trace.push(step(
                            "recognition.experience",
                            "undecided",
                            basis,
                            t(format!("需要{n}{unit_zh}相关工作经验，未填写工作年限。"), format!("{n} {unit_en} of relevant work experience are required; your years of experience are not given.")),
                        ));
                    }
                    Some(y) if y < n => {
                        let m = t(
                            format!("需要{n}{unit_zh}相关工作经验，您填写的是{y}年。"),
                            format!("{n} {unit_en} of relevant work experience are required; you have {y} {}.", if y == 1 { "year" } else { "years" }),
                        );
                        trace.push(step("recognition.experience", "unmet", basis, m.clone()));
                        unmet.push(Item { code: "experience_insufficient".into(), message: m });
                    }
                    Some(y) => trace.push(step(
                        "recognition.experience",
                        "met",
                        basis,
                        t(format!("需要{n}{unit_zh}相关工作经验，您有{y}年，符合要求。"), format!("{n} {unit_en} of relevant work experience are required; you have {y}.")),
                    )),
                }
            }
        }
        None => trace.push(step(
            "recognition.experience",
            "not_applicable",
            remark_quote(&entry.remark.zh, &entry.remark.en),
            t(
                "目录对该证书没有工作年限要求。",
                "The catalogue asks for no minimum work experience for this qualification.",
            ),
        )),
    }
    let recognized = if !unmet.is_empty() {
        Some(false)
    } else if experience_undecided {
        missing.add("experience_years");
        None
    } else {
        Some(true)
    };
    let entry_basis = t(
        cat(&["目录条目 ", &entry.code, "：“", &entry.name.zh, "”"]),
        cat(&["Catalogue entry ", &entry.code, ": “", &entry.name.en, "”"]),
    );
    trace.push(match recognized {
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

    // 2. Title correspondence and its basic conditions.
    let title = match entry.title {
        Some(level) => {
            let row = policy.title(level);
            trace.push(step(
                "title.correspondence",
                level.code(),
                title_clause(entry, level),
                t(
                    cat(&["该证书对应", &row.name.zh, "。"]),
                    cat(&["This qualification corresponds to an ", &row.name.en, "."]),
                ),
            ));
            let (met, outcome, m) = basic_conditions(row, profile, &mut missing);
            trace.push(step(
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
        None => {
            trace.push(step(
                "title.correspondence",
                "none",
                remark_quote(&entry.remark.zh, &entry.remark.en),
                t(
                    "目录未规定该证书对应职称。",
                    "The catalogue gives this qualification no professional-title correspondence.",
                ),
            ));
            None
        }
    };

    // 3. Benefits.
    let mut benefits = Vec::with_capacity(policy.benefits.len());
    let mut withheld = Vec::new();
    for b in &policy.benefits {
        if b.code == "title_correspondence" && title.is_none() {
            continue;
        }
        let nationality_unknown = match profile.nationality {
            Some(n) if !b.audience.contains(&n) => continue,
            Some(_) => false,
            None => !Nationality::ALL.iter().all(|n| b.audience.contains(n)),
        };
        let bt = &b.texts;
        let conds = [
            match recognized {
                Some(true) => Cond::Met,
                Some(false) => Cond::Unmet("not_recognised", None),
                None => Cond::Unknown("experience_years"),
            },
            match profile.beijing_employer {
                Some(true) => Cond::Met,
                Some(false) => Cond::Unmet("no_beijing_employer", None),
                None => Cond::Unknown("beijing_employer"),
            },
            specific_condition(b, policy, profile, waiver.is_some(), title.as_ref()),
        ];
        let first_unmet = conds.iter().find(|c| matches!(c, Cond::Unmet(..)));
        let any_unknown = conds.iter().any(|c| matches!(c, Cond::Unknown(_)));
        if nationality_unknown || (any_unknown && first_unmet.is_none()) {
            let unknown = conds.iter().filter_map(|c| match c {
                Cond::Unknown(f) if first_unmet.is_none() => Some(*f),
                _ => None,
            });
            let fields = nationality_unknown
                .then_some("nationality")
                .into_iter()
                .chain(unknown);
            let mut zh = cat(&[&bt.name.zh, "：尚不能判断，需补充"]);
            let mut en = cat(&[&bt.name.en, ": cannot be decided yet; needs "]);
            for (i, f) in fields.enumerate() {
                missing.add(f);
                if i > 0 {
                    zh.push('、');
                    en.push_str(", ");
                }
                zh.push_str(field_zh(f));
                en.push_str(field_en(f));
            }
            zh.push('。');
            en.push('.');
            trace.push(step(
                bt.rule.clone(),
                "undecided",
                bt.basis.clone(),
                t(zh, en),
            ));
        } else if first_unmet.is_some() {
            // Every reason that applies is listed, most fundamental first.
            let mut said: Option<Text> = None;
            for c in &conds {
                let Cond::Unmet(reason, why) = c else {
                    continue;
                };
                let m = match (*reason, why) {
                    ("not_recognised", _) => bt.not_recognised.clone(),
                    ("no_beijing_employer", _) => bt.no_beijing_employer.clone(),
                    (_, Some(why)) => t(
                        format!("{}：未获得，{}。", bt.name.zh, why.zh),
                        format!("{}: not granted; {}.", bt.name.en, why.en),
                    ),
                    (_, None) => t(
                        format!("{}：未获得。", bt.name.zh),
                        format!("{}: not granted.", bt.name.en),
                    ),
                };
                said = Some(match said {
                    None => m.clone(),
                    Some(prev) => t(cat(&[&prev.zh, &m.zh]), cat(&[&prev.en, " ", &m.en])),
                });
                withheld.push(Withheld {
                    code: bt.code.clone(),
                    reason: SharedStr::Static(reason),
                    message: m,
                });
            }
            trace.push(step(
                bt.rule.clone(),
                "withheld",
                bt.basis.clone(),
                said.unwrap_or_else(|| bt.granted.clone()),
            ));
        } else {
            let m = match (b.code.as_str(), waiver, profile.project) {
                ("work_permit_relaxation", Some(_), Some(p))
                    if policy.work_permit.project_waiver_lifts_age_limit =>
                {
                    let (pzh, pen) = p.name();
                    t(
                        cat(&[&bt.granted.zh, "按目录备注，", pzh, "不受年龄限制。"]),
                        cat(&[
                            &bt.granted.en,
                            " Under the catalogue remark, no age limit applies for ",
                            pen,
                            ".",
                        ]),
                    )
                }
                _ => bt.granted.clone(),
            };
            trace.push(step(
                bt.rule.clone(),
                "granted",
                bt.basis.clone(),
                m.clone(),
            ));
            benefits.push(Item {
                code: bt.code.clone(),
                message: m,
            });
        }
    }

    // 4. Obligations, whether or not recognised.
    let mut obligations = Vec::with_capacity(entry.obligations.len());
    for o in &entry.obligations {
        let text = Text::from(&o.text);
        let code = SharedStr::from(&o.code);
        trace.push(step(
            format!("obligation.{}", o.code),
            "listed",
            remark_quote(&o.text.zh, &o.text.en),
            text.clone(),
        ));
        obligations.push(Item {
            code,
            message: text,
        });
    }

    // 5. Notes: exemptions, waivers and other remarks of the entry; policy notes.
    let mut notes: Vec<Text> = Vec::new();
    notes.extend(entry.exemptions.iter().map(|e| Text::from(&e.text)));
    notes.extend(entry.waivers.iter().map(|w| Text::from(&w.text)));
    notes.extend(entry.notes.iter().map(Text::from));
    if let Some(n) = profile.nationality {
        notes.extend(
            policy
                .notes
                .iter()
                .filter(|p| p.audience.contains(&n))
                .map(|p| p.shown.clone()),
        );
    }

    Ok(Decision {
        catalog: catalog_key,
        policy: policy.shared_key.clone(),
        entry: EntryRef {
            id: entry.id.clone(),
            list: entry.list.clone(),
            seq: entry.seq,
            code: entry.code.clone(),
            name: t(&entry.name.zh, &entry.name.en),
        },
        level_used,
        recognized,
        unmet,
        title,
        benefits,
        withheld,
        obligations,
        notes,
        missing: missing.list(),
        trace,
    })
}

/// The condition a benefit adds to recognition and employment.
fn specific_condition(
    b: &Benefit,
    policy: &Policy,
    profile: &Profile,
    waived: bool,
    title: Option<&TitleOutcome>,
) -> Cond {
    match b.code.as_str() {
        "work_permit_relaxation" => {
            if waived && policy.work_permit.project_waiver_lifts_age_limit {
                return Cond::Met;
            }
            let limit = policy.work_permit.limit_for(profile.high_end_industry);
            match profile.age {
                None => Cond::Unknown("age"),
                Some(age) if age > limit => {
                    let high = policy
                        .work_permit
                        .limit(AgeCondition::HighEndIndustry)
                        .filter(|h| *h > limit && !profile.high_end_industry);
                    let why = match high {
                        Some(h) => t(
                            format!("您{age}岁，超过{limit}岁的年龄上限（在高精尖产业工作的上限为{h}岁）"),
                            format!("you are {age}, above the age limit of {limit} ({h} for those working in one of Beijing's high-end industries)"),
                        ),
                        None if profile.high_end_industry => t(format!("您{age}岁，超过高精尖产业{limit}岁的年龄上限"), format!("you are {age}, above the age limit of {limit} for high-end industries")),
                        None => t(format!("您{age}岁，超过{limit}岁的年龄上限"), format!("you are {age}, above the age limit of {limit}")),
                    };
                    Cond::Unmet("age_over_limit", Some(why))
                }
                Some(_) => Cond::Met,
            }
        }
        "title_correspondence" => match title.and_then(|t| t.basic_conditions_met) {
            Some(true) => Cond::Met,
            Some(false) => {
                let name = title.map(|x| &policy.title(x.level).name);
                let (zh, en) = name
                    .map(|n| (n.zh.as_str(), n.en.as_str()))
                    .unwrap_or_default();
                Cond::Unmet(
                    "basic_conditions_unmet",
                    Some(t(
                        format!("不符合{zh}的学历、年限基本条件"),
                        format!("the education and experience conditions of an {en} are not met"),
                    )),
                )
            }
            None => Cond::Unknown(if profile.education.is_none() {
                "education"
            } else {
                "experience_years"
            }),
        },
        _ => Cond::Met,
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
    let recognised = || levels.codes.iter().map(|l| l.code.as_str());
    let (zh, en) = level_name(levels, code);
    if levels.not_recognised.iter().any(|l| l.code == code)
        || (levels.kind == LevelKind::Variants && !recognised().any(|c| c == code))
    {
        let list: Vec<&str> = recognised().collect();
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
            let at = recognised().position(|c| c == code);
            let min_at = recognised().position(|c| c == min);
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

fn unknown_level(levels: &Levels, text: &str, miss: LevelMiss) -> InputError {
    let allowed = all_codes(levels).collect::<Vec<_>>().join(", ");
    let mut e = InputError::new("level", text, allowed);
    if let LevelMiss::Ambiguous(codes) = miss {
        e.suggestions = codes;
    }
    e
}

fn unknown_entry(catalog: &Catalog, reference: &str) -> InputError {
    let ranges: Vec<String> = catalog
        .lists
        .iter()
        .filter_map(|l| {
            catalog
                .entries_of(&l.key)
                .map(|e| e.seq)
                .max()
                .map(|max| format!("{}1..{}{}", l.letter, l.letter, max))
        })
        .collect();
    let mut e = InputError::new("entry", reference, ranges.join(", "));
    // Entries the text names (an alias, an issuer's abbreviation, a part of
    // the name) come first; then the catalogue's nearest codes and ids.
    let key = norm_key(reference);
    let mut picks: Vec<&Entry> = Vec::new();
    if key.chars().count() >= 2 && split_code(reference.trim()).is_none() {
        let named = |e: &Entry| {
            e.all_aliases().any(|a| norm_key(a) == key)
                || e.issuers
                    .iter()
                    .any(|i| i.abbr.as_deref().is_some_and(|a| norm_key(a) == key))
                || norm_key(&e.name.en).contains(&key)
                || norm_key(&e.name.zh).contains(&key)
        };
        picks.extend(catalog.entries.iter().filter(|e| named(e)).take(3));
    }
    for x in catalog.suggest(reference) {
        if picks.len() < 3 && !picks.iter().any(|p| p.code == x.code) {
            picks.push(x);
        }
    }
    e.suggestions = picks
        .into_iter()
        .map(|x| format!("{} {}", x.code, shorten(&x.name.en, 32)))
        .collect();
    e
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out = s
            .chars()
            .take(max - 1)
            .collect::<String>()
            .trim_end()
            .to_string();
        out.push('…');
        out
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

/// Chinese and English names of an education level.
pub fn education_name(e: Education) -> (&'static str, &'static str) {
    match e {
        Education::Doctorate => ("博士", "a doctorate"),
        Education::Master => ("硕士", "a master's degree"),
        Education::Bachelor => ("本科", "a bachelor's degree"),
        Education::Associate => ("大专", "an associate degree (大专)"),
        Education::None => ("无学历", "no degree"),
    }
}

/// A profile field as a reader says it.
pub fn field_en(field: &str) -> &'static str {
    match field {
        "entry" => "the catalogue entry",
        "level" => "the level you hold",
        "experience_years" => "your years of experience",
        "age" => "your age",
        "nationality" => "your nationality",
        "education" => "your education",
        "beijing_employer" => "whether you have an employer in Beijing",
        "high_end_industry" => "whether you work in a high-end industry",
        "project" => "the project",
        _ => "a field",
    }
}
