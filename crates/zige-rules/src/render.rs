//! The decision as plain text for a person: recognised or not and why,
//! the title, the benefits granted and withheld, obligations and notes.
//! Both languages are built from the same lines, so they never differ in
//! anything but wording.

use zige_catalog::Lang;

use crate::decide::{field_en, Decision};
use crate::profile::field_zh;
use crate::text::Text;

/// One line of the text: a marker (`✓` granted or met, `✗` not, `?`
/// undecided, `!` obligation, `•` information, `` for headings) and its text.
pub(crate) struct Line {
    pub marker: &'static str,
    pub text: Text,
}

fn line(
    marker: &'static str,
    zh: impl Into<crate::text::SharedStr>,
    en: impl Into<crate::text::SharedStr>,
) -> Line {
    Line {
        marker,
        text: Text::new(zh, en),
    }
}

fn marker_of(outcome: &str) -> &'static str {
    match outcome {
        "met" | "waived" | "not_applicable" | "granted" | "recognized" => "✓",
        "unmet" | "withheld" | "not_recognized" => "✗",
        "undecided" => "?",
        _ => "•",
    }
}

impl Decision {
    pub(crate) fn lines(&self) -> Vec<Line> {
        let mut out = Vec::with_capacity(32);
        self.push_heading(&mut out);
        self.push_recognition(&mut out);
        out.push(line("", "", ""));
        self.push_title(&mut out);
        out.push(line("", "", ""));
        self.push_benefits(&mut out);
        self.push_obligations_and_notes(&mut out);
        self.push_missing(&mut out);
        out
    }

    /// The entry, what it was checked against, and a blank line.
    fn push_heading(&self, out: &mut Vec<Line>) {
        out.push(line(
            "",
            format!("{}（{}）", self.entry.name.zh, self.entry.code),
            format!("{} ({})", self.entry.name.en, self.entry.code),
        ));
        out.push(line(
            "",
            format!("依据：认可目录 {}，服务政策 {}", self.catalog, self.policy),
            format!(
                "Checked against catalogue {} and policy {}",
                self.catalog, self.policy
            ),
        ));
        out.push(line("", "", ""));
    }

    /// The result, and the recognition steps of the trace.
    fn push_recognition(&self, out: &mut Vec<Line>) {
        out.push(match self.recognized {
            Some(true) => line(
                "",
                "结论：很可能予以认可（仅供参考，以主管部门的决定为准）。",
                "Result: likely to be recognised (guidance only: the authority decides).",
            ),
            Some(false) => line(
                "",
                "结论：按所填信息，很可能不予认可。",
                "Result: not likely to be recognised on what you entered.",
            ),
            None => line(
                "",
                "结论：暂时无法判断，需要补充信息。",
                "Result: cannot be decided yet; more information is needed.",
            ),
        });
        for s in self
            .trace
            .iter()
            .filter(|s| s.rule.starts_with("recognition.") || s.rule == "policy.scope")
        {
            out.push(Line {
                marker: marker_of(&s.outcome),
                text: s.message.clone(),
            });
        }
    }

    /// The title correspondence and its basic conditions.
    fn push_title(&self, out: &mut Vec<Line>) {
        let Some(t) = &self.title else {
            out.push(line(
                "",
                "职称：该证书不对应职称。",
                "Professional title: this qualification has no title correspondence.",
            ));
            return;
        };
        let (zh, en) = match t.basic_conditions_met {
            Some(true) => ("符合基本条件", "basic conditions met"),
            Some(false) => ("不符合基本条件", "basic conditions not met"),
            None => ("基本条件尚无法判断", "basic conditions not yet known"),
        };
        let name = t.level.name();
        out.push(line(
            "",
            format!("职称：对应{}，{}。", name.zh, zh),
            format!("Professional title: corresponds to an {}; {}.", name.en, en),
        ));
        for s in self
            .trace
            .iter()
            .filter(|s| s.rule == "title.basic_conditions")
        {
            out.push(Line {
                marker: marker_of(&s.outcome),
                text: s.message.clone(),
            });
        }
    }

    /// Benefits the qualification would bring, withheld with their reasons, and not yet decided.
    fn push_benefits(&self, out: &mut Vec<Line>) {
        if self.benefits.is_empty() {
            out.push(line(
                "",
                "该证书可能为您带来的服务：无。",
                "What this qualification would bring you: nothing.",
            ));
        } else {
            out.push(line(
                "",
                "该证书可能为您带来的服务：",
                "What this qualification would bring you:",
            ));
            out.extend(self.benefits.iter().map(|b| Line {
                marker: "✓",
                text: b.message.clone(),
            }));
        }
        if !self.withheld.is_empty() {
            out.push(line(
                "",
                "不能享受的服务及原因：",
                "What it would not bring you, and why:",
            ));
            out.extend(self.withheld.iter().map(|w| Line {
                marker: "✗",
                text: w.message.clone(),
            }));
        }
        let open: Vec<_> = self
            .trace
            .iter()
            .filter(|s| s.rule.starts_with("benefit.") && s.outcome == "undecided")
            .collect();
        if !open.is_empty() {
            out.push(line(
                "",
                "尚待判断的服务：",
                "Not yet known, until you say more:",
            ));
            out.extend(open.iter().map(|s| Line {
                marker: "?",
                text: s.message.clone(),
            }));
        }
    }

    /// What the holder must do, and what is good to know.
    fn push_obligations_and_notes(&self, out: &mut Vec<Line>) {
        if !self.obligations.is_empty() {
            out.push(line("", "", ""));
            out.push(line("", "须履行的义务：", "What you must do:"));
            out.extend(self.obligations.iter().map(|o| Line {
                marker: "!",
                text: o.message.clone(),
            }));
        }
        if !self.notes.is_empty() {
            out.push(line("", "", ""));
            out.push(line("", "请注意：", "Good to know:"));
            out.extend(self.notes.iter().map(|n| Line {
                marker: "•",
                text: n.clone(),
            }));
        }
    }

    /// The fields that would settle what is still undecided.
    fn push_missing(&self, out: &mut Vec<Line>) {
        if self.missing.is_empty() {
            return;
        }
        out.push(line("", "", ""));
        let zh: Vec<String> = self
            .missing
            .iter()
            .map(|f| format!("{}（{f}）", field_zh(f)))
            .collect();
        let en: Vec<String> = self
            .missing
            .iter()
            .map(|f| format!("{} ({f})", field_en(f)))
            .collect();
        out.push(line(
            "",
            format!("如需完整结论，请补充：{}。", zh.join("、")),
            format!("To decide the rest, please add: {}.", en.join("; ")),
        ));
    }

    /// The decision as readable plain text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut s = String::with_capacity(2048);
        for l in self.lines() {
            let text = l.text.get(lang);
            if l.marker.is_empty() {
                s.push_str(text);
            } else {
                s.push_str("  ");
                s.push_str(l.marker);
                s.push(' ');
                sentence(&mut s, text, lang);
            }
            s.push('\n');
        }
        s
    }
}

/// Writes a clause quoted from the catalogue as a sentence: without the
/// parentheses the remark wraps it in, with a full stop.
fn sentence(out: &mut String, text: &str, lang: Lang) {
    let text = text.trim();
    let text = match text.strip_prefix('（').and_then(|t| t.strip_suffix('）')) {
        Some(inner) if !inner.contains(['（', '）']) => inner,
        _ => text,
    };
    out.push_str(text);
    let ends = text
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '”' | '"'));
    if !ends && !text.is_empty() {
        out.push(match lang {
            Lang::Zh => '。',
            Lang::En => '.',
        });
    }
}
