//! An abbreviation alone is weak evidence: FSA is also a spending account,
//! ACA a law, CMA an authority. One found by itself counts only where the
//! text treats it as a qualification: beside other qualifications, with a
//! word of holding or certifying near, a year or ® right after it, or as
//! letters after a person's name ("Jane Whitfield, CFA"). And an
//! abbreviation followed by "Institute", "Society", 协会… names the body,
//! not its qualification.

use super::pattern::{Pattern, Roots};
use super::stream::{Key, Stream};
use super::Found;

const SUPPORT: &[&str] = &[
    "certified",
    "certification",
    "certificate",
    "certificates",
    "credential",
    "credentials",
    "qualification",
    "qualifications",
    "qualified",
    "licence",
    "license",
    "licensed",
    "designation",
    "charter",
    "charterholder",
    "holder",
    "awarded",
    "obtained",
    "earned",
    "passed",
    "completed",
    "hold",
    "holds",
    "achieved",
    "attained",
    "gained",
    "candidate",
    "exam",
    "member",
    "fellow",
    "registered",
    "level",
    "part",
    "familiar",
    "studying",
    "preparing",
    "pursuing",
    "towards",
    "证书",
    "认证",
    "资格",
    "持有",
    "获得",
    "取得",
    "考取",
    "获",
    "称号",
    "持证",
    "考试",
    "备考",
    "在考",
    "报考",
    "攻读",
    "计划",
    "文凭",
    "会员",
    "注册",
    "执照",
];

/// How near support must stand, in units.
const NEAR: usize = 4;
/// How near another qualification must stand, in units.
const NEAR_OTHERS: usize = 8;

const BODIES: &[&str] = &[
    "institute",
    "institution",
    "society",
    "association",
    "council",
    "board",
    "foundation",
    "协会",
    "学会",
    "公会",
];

/// The words that support an abbreviation, and the words of bodies.
pub(crate) struct Support {
    support: Vec<Pattern>,
    bodies: Vec<Pattern>,
}

impl Support {
    pub fn new() -> Support {
        Support {
            support: SUPPORT.iter().map(|t| Pattern::of(t)).collect(),
            bodies: BODIES.iter().map(|t| Pattern::of(t)).collect(),
        }
    }

    /// Drops the abbreviations found alone without support. `levels`: per
    /// entry, the names of its levels; an abbreviation right after another
    /// entry's name that names one of its levels ("CPA Australia (ASA)")
    /// is that entry's level, not a qualification of its own.
    pub fn drop_unsupported(
        &self,
        text: &str,
        stream: &Stream,
        roots: &mut Roots,
        levels: &[Vec<(Pattern, String)>],
        found: &mut Vec<Found>,
    ) {
        let (support, bodies) = (&self.support, &self.bodies);
        let chars: Vec<char> = text.chars().collect();
        let spans: Vec<(u16, usize, usize)> = found.iter().map(|f| (f.entry, f.a, f.b)).collect();
        found.retain(|f| {
            if !f.abbreviation {
                return true;
            }
            if bodies.iter().any(|p| p.matches_at(stream, roots, f.b)) {
                return false;
            }
            let segment = stream.units[f.a].segment;
            let level_of_neighbour = spans.iter().any(|&(e, _, b)| {
                e != f.entry
                    && b <= f.a
                    && f.a <= b + 2
                    && levels[e as usize]
                        .iter()
                        .any(|(p, _)| p.matches_at(stream, roots, f.a))
            });
            if level_of_neighbour {
                return false;
            }
            let beside_others = spans.iter().any(|&(e, a, b)| {
                e != f.entry
                    && stream.units[a].segment == segment
                    && (a.abs_diff(f.b) <= NEAR_OTHERS || b.abs_diff(f.a) <= NEAR_OTHERS)
            });
            let first_of_item = f.a == 0
                || stream.units[f.a - 1].segment != segment
                || first_on_line(&chars, stream.units[f.a].start);
            let (from, to) = stream.window(f.a, f.b, NEAR);
            beside_others
                || first_of_item
                || support
                    .iter()
                    .any(|p| p.find_in(stream, roots, from, to).is_some())
                || year_or_mark_after(stream, &chars, f.b - 1)
                || after_a_name(&chars, stream.units[f.a].start, stream.units[f.b - 1].end)
        });
    }
}

/// A year within two units after unit `last`, or ® / ™ right after it.
fn year_or_mark_after(stream: &Stream, chars: &[char], last: usize) -> bool {
    let end = stream.units[last].end;
    if chars.get(end).is_some_and(|c| matches!(c, '®' | '™')) {
        return true;
    }
    stream.units[last + 1..]
        .iter()
        .take(2)
        .any(|u| match &u.key {
            Key::Word(w) => {
                w.len() == 4
                    && (w.starts_with("19") || w.starts_with("20"))
                    && w.chars().all(|c| c.is_ascii_digit())
            }
            Key::Han(_) => false,
        })
}

/// Letters after a name: a comma before, and a comma or the line's end after.
fn after_a_name(chars: &[char], start: usize, end: usize) -> bool {
    let before = chars[..start]
        .iter()
        .rev()
        .find(|c| !c.is_whitespace() || **c == '\n');
    let after = chars[end..].iter().find(|c| **c != ' ');
    matches!(before, Some(',' | '，'))
        && after.is_none_or(|c| matches!(c, ',' | '，' | '\n' | '\r'))
}

/// Nothing but spaces and bullets between the line's start and `start`.
fn first_on_line(chars: &[char], start: usize) -> bool {
    chars[..start]
        .iter()
        .rev()
        .take_while(|c| **c != '\n')
        .all(|c| c.is_whitespace() || matches!(c, '-' | '*' | '•' | '·' | '–' | '—' | '▪' | '●'))
}
