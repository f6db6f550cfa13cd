//! The remark column, parsed into structured parts. Every clause of a
//! remark becomes a part; a clause that no pattern knows becomes an explicit
//! [`Part::Note`], so nothing is ever dropped silently.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Title levels a catalogue entry can correspond to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TitleLevel {
    Intermediate,
    DeputySenior,
}

impl TitleLevel {
    pub fn code(self) -> &'static str {
        match self {
            TitleLevel::Intermediate => "intermediate",
            TitleLevel::DeputySenior => "deputy_senior",
        }
    }
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "intermediate" | "中级" => Some(TitleLevel::Intermediate),
            "deputy_senior" | "deputy-senior" | "副高级" => Some(TitleLevel::DeputySenior),
            _ => None,
        }
    }
    pub fn name(self) -> crate::Bilingual {
        match self {
            TitleLevel::Intermediate => {
                crate::Bilingual::new("中级职称", "intermediate professional title")
            }
            TitleLevel::DeputySenior => {
                crate::Bilingual::new("副高级职称", "associate senior professional title")
            }
        }
    }
}

/// How experience is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ExperienceUnit {
    Years,
    AcademicYears,
}

/// One recognised piece of a remark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Part {
    /// 从事…工作: the scope of work.
    Scope { text: String },
    /// 对应X职称需符合…基本标准条件
    Title { level: TitleLevel },
    /// （需要有两年相关工作经验）
    Experience { years: u8, unit: ExperienceUnit },
    /// A duty the holder must fulfil (code from the rules spec).
    Obligation { code: &'static str },
    /// Holders of the Chinese CPA are exempt from papers of this
    /// qualification (number of papers when stated).
    ExemptForCicpaHolders { papers: Option<u8> },
    /// Holders of this qualification are exempt from some papers of the
    /// Chinese CPA examination.
    CicpaPapersExempt,
    /// A waiver: `native_language_country` or `universal_studios`.
    Waiver { code: &'static str },
    /// Text no pattern maps, kept verbatim.
    Note { text: String },
}

/// A parsed remark: its parts in the order they appear, and the
/// normalized clause texts each part came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedRemark {
    pub parts: Vec<(Part, String)>,
}

struct Pattern {
    re: Regex,
    make: fn(&regex::Captures) -> Part,
}

fn patterns() -> &'static [Pattern] {
    static P: OnceLock<Vec<Pattern>> = OnceLock::new();
    P.get_or_init(|| {
        let p = |re: &str, make: fn(&regex::Captures) -> Part| Pattern {
            re: Regex::new(re).expect("static pattern"),
            make,
        };
        vec![
            p(
                r"对应(副高级|中级)职称需符合相应职称系列（专业）级别的学历、年限等基本标准条件",
                |c| Part::Title {
                    level: if &c[1] == "副高级" {
                        TitleLevel::DeputySenior
                    } else {
                        TitleLevel::Intermediate
                    },
                },
            ),
            p(
                r"（需要有([一二两三四五六七八九十\d]+)(学年|年)相关工作经验）",
                |c| Part::Experience {
                    years: small_number(&c[1]).unwrap_or(0),
                    unit: if &c[2] == "学年" {
                        ExperienceUnit::AcademicYears
                    } else {
                        ExperienceUnit::Years
                    },
                },
            ),
            p(
                r"（环球影城项目可不受年龄、工作经验限制）",
                |_| Part::Waiver {
                    code: "universal_studios",
                },
            ),
            p(r"可不受母语国限制", |_| Part::Waiver {
                code: "native_language_country",
            }),
            p(
                r"中国注册会计师资质持证者，可免考(\d+)门[^。]*?课程",
                |c| Part::ExemptForCicpaHolders {
                    papers: c[1].parse().ok(),
                },
            ),
            p(r"中国注册会计师考试部分科目可免试", |_| {
                Part::CicpaPapersExempt
            }),
            p(
                r"注册会计师须在中国注册会计师协会注册后执业",
                |_| Part::Obligation {
                    code: "register_with_cicpa",
                },
            ),
            p(r"需在中国办理短期行医许可后执业", |_| {
                Part::Obligation {
                    code: "short_term_medical_practice_licence",
                }
            }),
            p(r"执业药师须在我市药监主管部门注册", |_| {
                Part::Obligation {
                    code: "register_with_drug_regulator",
                }
            }),
            p(
                r"从事职业病治疗的须在我市卫生健康主管部门注册后从事医师工作",
                |_| Part::Obligation {
                    code: "register_with_health_authority",
                },
            ),
            p(r"经我市农业农村主管部门备案", |_| {
                Part::Obligation {
                    code: "file_with_agriculture_authority",
                }
            }),
            p(r"具备教师资格的", |_| Part::Obligation {
                code: "hold_teacher_qualification",
            }),
            p(
                r"(?:[A-Z]{2,5})?从事(?:[^，。；（]|（[^需环）]*）)*?工作",
                |c| Part::Scope {
                    text: c[0].to_string(),
                },
            ),
        ]
    })
}

/// Normalises punctuation and spacing so that the patterns see one form:
/// ASCII parentheses, commas and semicolons become their full-width forms,
/// and spaces inside Chinese text disappear.
pub fn normalize(remark: &str) -> String {
    let s: String = remark
        .chars()
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            ',' => '，',
            ';' => '；',
            _ => c,
        })
        .collect();
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            if matches!((prev, next), (Some(p), Some(n)) if p.is_ascii_alphanumeric() && n.is_ascii_alphanumeric())
            {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Parses a remark. Matches are taken left to right over the normalized
/// text; what lies between matches, less punctuation, becomes a note.
pub fn parse(remark: &str) -> ParsedRemark {
    let text = normalize(remark);
    let mut found: Vec<(usize, usize, Part)> = Vec::new();
    for pat in patterns() {
        for caps in pat.re.captures_iter(&text) {
            let m = caps.get(0).expect("group 0");
            if found.iter().any(|(s, e, _)| m.start() < *e && *s < m.end()) {
                continue;
            }
            found.push((m.start(), m.end(), (pat.make)(&caps)));
        }
    }
    found.sort_by_key(|(s, _, _)| *s);
    let mut parts = Vec::new();
    let mut pos = 0;
    for (s, e, part) in found {
        push_note(&mut parts, &text[pos..s]);
        parts.push((part, text[s..e].to_string()));
        pos = e;
    }
    push_note(&mut parts, &text[pos..]);
    ParsedRemark { parts }
}

fn push_note(parts: &mut Vec<(Part, String)>, gap: &str) {
    let trimmed = gap.trim_matches(|c: char| is_separator(c));
    if !trimmed.is_empty() {
        parts.push((
            Part::Note {
                text: trimmed.to_string(),
            },
            trimmed.to_string(),
        ));
    }
}

/// Punctuation that only separates clauses.
pub fn is_separator(character: char) -> bool {
    character.is_whitespace() || matches!(character, '。' | '，' | '；' | '、' | '.' | '（' | '）')
}

fn small_number(s: &str) -> Option<u8> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    match s {
        "一" => Some(1),
        "二" | "两" => Some(2),
        "三" => Some(3),
        "四" => Some(4),
        "五" => Some(5),
        "六" => Some(6),
        "七" => Some(7),
        "八" => Some(8),
        "九" => Some(9),
        "十" => Some(10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(remark: &str, expect: Expect) {
        let parsed = parse(remark);
        let rendered: Vec<String> = parsed.parts.iter().map(|(p, _)| format!("{p:?}")).collect();
        expect.assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn title_and_scope() {
        check(
            "从事新一代信息技术领域相关工作。对应副高级职称需符合相应职称系列（专业）级别的学历、年限等基本标准条件。",
            expect![[r#"
                Scope { text: "从事新一代信息技术领域相关工作" }
                Title { level: DeputySenior }"#]],
        );
    }

    #[test]
    fn experience_in_ascii_parentheses_and_academic_years() {
        check(
            "从事学龄前儿童英语语言课程教学相关工作(需要 有两学年相关工作经验)。",
            expect![[r#"
                Scope { text: "从事学龄前儿童英语语言课程教学相关工作" }
                Experience { years: 2, unit: AcademicYears }"#]],
        );
    }

    #[test]
    fn obligations_exemptions_and_waivers() {
        check(
            "从事金融、会计和财务管理相关工作。对应中级职称需符合相应职称系列（专业）级别的学历、年限等基本标准条件。中国注册会计师资质持证者，可免考9门ACCA会计师课程。",
            expect![[r#"
                Scope { text: "从事金融、会计和财务管理相关工作" }
                Title { level: Intermediate }
                ExemptForCicpaHolders { papers: Some(9) }"#]],
        );
        check(
            "经我市农业农村主管部门备案，从事动物诊疗相关工作（需要有两年相关工作经验）。",
            expect![[r#"
                Obligation { code: "file_with_agriculture_authority" }
                Scope { text: "从事动物诊疗相关工作" }
                Experience { years: 2, unit: Years }"#]],
        );
    }

    #[test]
    fn unknown_clauses_become_notes() {
        check(
            "从事项目管理相关工作。持证满五年者另行认定。",
            expect![[r#"
                Scope { text: "从事项目管理相关工作" }
                Note { text: "持证满五年者另行认定" }"#]],
        );
    }
}
