//! What a text says that the check asks for: the level held of an entry
//! named in it, and the years of experience.

use super::pattern::{Pattern, Roots};
use super::stream::{Key, Stream};

/// The code of the level named beside the name at units `[a, b)`: a
/// level's name inside the name or shortly after it ("UEFA A Licence",
/// "ABRSM Grade 8", "ITIL 4 Foundation"); a bare numeral or letter only
/// right after the name.
pub(crate) fn level(
    stream: &Stream,
    roots: &mut Roots,
    levels: &[(Pattern, String)],
    (a, b): (usize, usize),
) -> Option<String> {
    let (from, to) = stream.window(a, b, 8);
    let from = from.max(a.saturating_sub(3));
    for (p, code) in levels {
        let short = p.slots.len() == 1 && unit_len(p) <= 3;
        let (lo, hi) = if short {
            (b, (b + 2).min(to))
        } else {
            (from, to)
        };
        if p.find_in(stream, roots, lo, hi).is_some() {
            return Some(code.clone());
        }
    }
    None
}

fn unit_len(p: &Pattern) -> usize {
    match &p.slots[0] {
        super::pattern::Slot::Word(w) | super::pattern::Slot::Capitals(w) => w.chars().count(),
        _ => 1,
    }
}

const YEAR_WORDS: &[&str] = &["years", "year", "yrs", "yr", "年"];
const EXPERIENCE_WORDS: &[&str] = &[
    "experience",
    "experienced",
    "practice",
    "经验",
    "从业",
    "工作",
    "执业",
    "经历",
];

/// The words of experience, as patterns.
pub(crate) struct Experience(Vec<Pattern>);

impl Experience {
    pub fn new() -> Experience {
        Experience(EXPERIENCE_WORDS.iter().map(|w| Pattern::of(w)).collect())
    }

    /// The most years of experience the text states.
    pub fn years(&self, stream: &Stream) -> Option<u8> {
        experience_years(stream, &self.0)
    }
}

/// The most years of experience the text states ("8 years of
/// experience", "over 10 yrs experience", "8年以上工作经验", "从业十年").
fn experience_years(stream: &Stream, experience: &[Pattern]) -> Option<u8> {
    let units = &stream.units;
    let mut roots = Roots::new(stream);
    let mut best: Option<u8> = None;
    let mut i = 0;
    while i < units.len() {
        let Some((n, len)) = number_at(stream, i) else {
            i += 1;
            continue;
        };
        let after = i + len;
        let year_at =
            (after..(after + 2).min(units.len())).find(|&j| is_one_of(stream, j, YEAR_WORDS));
        if let Some(y) = year_at {
            let segment = units[i].segment;
            let near = (i.saturating_sub(4)..(y + 7).min(units.len()))
                .filter(|&j| units[j].segment == segment)
                .any(|j| {
                    experience
                        .iter()
                        .any(|p| p.matches_at(stream, &mut roots, j))
                });
            if near && n <= 60 {
                best = Some(best.map_or(n, |b: u8| b.max(n)));
            }
        }
        i = after;
    }
    best
}

fn is_one_of(stream: &Stream, i: usize, words: &[&str]) -> bool {
    match &stream.units[i].key {
        Key::Word(w) => words.contains(&w.as_str()),
        Key::Han(c) => words.iter().any(|w| w.chars().eq(std::iter::once(*c))),
    }
}

/// A number at unit `i` (digits, or Chinese numerals up to 99) and how
/// many units it takes.
fn number_at(stream: &Stream, i: usize) -> Option<(u8, usize)> {
    match &stream.units[i].key {
        Key::Word(w) if w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit()) => {
            Some((w.parse().ok()?, 1))
        }
        Key::Word(_) => None,
        Key::Han(_) => {
            let digits: Vec<char> = stream.units[i..]
                .iter()
                .take(3)
                .map_while(|u| match u.key {
                    Key::Han(c) if "一二两三四五六七八九十".contains(c) => Some(c),
                    _ => None,
                })
                .collect();
            chinese_number(&digits).map(|n| (n, digits.len()))
        }
    }
}

fn chinese_number(digits: &[char]) -> Option<u8> {
    let value = |c: char| {
        "一二三四五六七八九"
            .find(c)
            .map(|b| (b / 3) as u8 + 1)
            .or((c == '两').then_some(2))
    };
    match digits {
        [] => None,
        ['十'] => Some(10),
        ['十', d] => Some(10 + value(*d)?),
        [t, '十'] => Some(value(*t)? * 10),
        [t, '十', d] => Some(value(*t)? * 10 + value(*d)?),
        [d, ..] => value(*d),
    }
}

#[cfg(test)]
mod tests {
    use super::super::stream::read;
    use super::*;

    #[test]
    fn years_of_experience_in_both_languages() {
        assert_eq!(
            Experience::new().years(&read("I have 8 years of experience in audit.")),
            Some(8)
        );
        assert_eq!(
            Experience::new().years(&read("Over 12 yrs experience; born 1985")),
            Some(12)
        );
        assert_eq!(
            Experience::new().years(&read("具有8年以上工作经验")),
            Some(8)
        );
        assert_eq!(Experience::new().years(&read("从业十五年")), Some(15));
        assert_eq!(Experience::new().years(&read("PMP 2019, ID 1234567")), None);
    }
}
