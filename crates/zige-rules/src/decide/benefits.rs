//! The benefits phase: for each benefit of the policy that reaches the
//! profile's nationality, its conditions (recognition, a Beijing employer,
//! and what the benefit itself asks), and whether it is granted, withheld
//! or undecided.

use super::{cat, field_en, step, t, Context, Item, TitleOutcome, Withheld};
use crate::policy::{AgeCondition, Benefit, Policy};
use crate::profile::{field_zh, Nationality, Profile};
use crate::text::{SharedStr, Text};

/// A condition of a benefit.
enum Cond {
    Met,
    /// Reason code and, for the benefit-specific conditions, the message.
    Unmet(&'static str, Option<Text>),
    Unknown(&'static str),
}

impl Context<'_> {
    /// Every benefit of the policy: granted, withheld (with each reason)
    /// or, in the trace, undecided.
    pub(super) fn benefits(
        &mut self,
        recognized: Option<bool>,
        title: Option<&TitleOutcome>,
    ) -> (Vec<Item>, Vec<Withheld>) {
        let policy = self.policy;
        let mut benefits = Vec::with_capacity(policy.benefits.len());
        let mut withheld = Vec::new();
        // The same benefits an entry's page offers (no title benefit for
        // an entry without a title correspondence).
        for b in policy.offered(self.entry) {
            let nationality_unknown = match self.profile.nationality {
                Some(n) if !b.audience.contains(&n) => continue,
                Some(_) => false,
                None => !Nationality::ALL.iter().all(|n| b.audience.contains(n)),
            };
            let conds = self.conditions(b, recognized, title);
            let first_unmet = conds.iter().find(|c| matches!(c, Cond::Unmet(..)));
            let any_unknown = conds.iter().any(|c| matches!(c, Cond::Unknown(_)));
            if nationality_unknown || (any_unknown && first_unmet.is_none()) {
                self.benefit_undecided(b, nationality_unknown, &conds);
            } else if first_unmet.is_some() {
                self.withhold(b, &conds, &mut withheld);
            } else {
                benefits.push(self.grant(b));
            }
        }
        (benefits, withheld)
    }

    /// The three conditions of a benefit, most fundamental first.
    fn conditions(
        &self,
        b: &Benefit,
        recognized: Option<bool>,
        title: Option<&TitleOutcome>,
    ) -> [Cond; 3] {
        let profile = self.profile;
        [
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
            specific_condition(b, self.policy, profile, self.waiver.is_some(), title),
        ]
    }

    /// A benefit that cannot be decided yet: the trace names the fields
    /// that would settle it, and they count as missing.
    fn benefit_undecided(&mut self, b: &Benefit, nationality_unknown: bool, conds: &[Cond]) {
        let bt = &b.texts;
        let any_unmet = conds.iter().any(|c| matches!(c, Cond::Unmet(..)));
        let unknown = conds.iter().filter_map(|c| match c {
            Cond::Unknown(f) if !any_unmet => Some(*f),
            _ => None,
        });
        let fields = nationality_unknown
            .then_some("nationality")
            .into_iter()
            .chain(unknown);
        let mut zh = cat(&[&bt.name.zh, "：尚不能判断，需补充"]);
        let mut en = cat(&[&bt.name.en, ": cannot be decided yet; needs "]);
        for (i, f) in fields.enumerate() {
            self.missing.add(f);
            if i > 0 {
                zh.push('、');
                en.push_str(", ");
            }
            zh.push_str(field_zh(f));
            en.push_str(field_en(f));
        }
        zh.push('。');
        en.push('.');
        self.trace.push(step(
            bt.rule.clone(),
            "undecided",
            bt.basis.clone(),
            t(zh, en),
        ));
    }

    /// A benefit withheld: every reason that applies is listed, most
    /// fundamental first.
    fn withhold(&mut self, b: &Benefit, conds: &[Cond], withheld: &mut Vec<Withheld>) {
        let bt = &b.texts;
        let mut said: Option<Text> = None;
        for c in conds {
            let Cond::Unmet(reason, why) = c else {
                continue;
            };
            let m = match (*reason, why) {
                ("not_recognised", _) => bt.not_recognized.clone(),
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
        self.trace.push(step(
            bt.rule.clone(),
            "withheld",
            bt.basis.clone(),
            said.unwrap_or_else(|| bt.granted.clone()),
        ));
    }

    /// A benefit granted, with the project's waiver of the age limit where
    /// it is what lets the benefit through.
    fn grant(&mut self, b: &Benefit) -> Item {
        let bt = &b.texts;
        let m = match (b.code.as_str(), self.waiver, self.profile.project) {
            ("work_permit_relaxation", Some(_), Some(p))
                if self.policy.work_permit.project_waiver_lifts_age_limit =>
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
        self.trace.push(step(
            bt.rule.clone(),
            "granted",
            bt.basis.clone(),
            m.clone(),
        ));
        Item {
            code: bt.code.clone(),
            message: m,
        }
    }
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
