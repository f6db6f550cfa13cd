//! Whether a text says its writer holds a qualification it names, or
//! names it in passing: "studying for the CFA", "CFA Level II candidate",
//! "备考CFA", "PMP（在读）" are mentions, not holdings.

use super::pattern::{Pattern, Roots};
use super::starts::Starts;
use super::stream::{Key, Stream};

/// Words before a name that make it something not (yet) held.
const BEFORE_NOT_HELD: &[&str] = &[
    "studying for",
    "study for",
    "studying towards",
    "preparing for",
    "prepare for",
    "preparing",
    "working towards",
    "working toward",
    "pursuing",
    "candidate for",
    "candidate in",
    "enrolled in",
    "enrolled",
    "registered for",
    "plan to",
    "planning to",
    "planning",
    "plan on",
    "aim to",
    "aiming",
    "aiming for",
    "intend to",
    "hope to",
    "will take",
    "will sit",
    "sitting",
    "taking the",
    "currently taking",
    "not",
    "no",
    "without",
    "towards",
    "toward",
    "familiar with",
    "knowledge of",
    "exposure to",
    "passed level",
    "passed the level",
    "level i",
    "level ii",
    "level iii",
    "part i",
    "part ii",
    "preparation",
    "prep",
    "备考",
    "准备",
    "正在考",
    "正在攻读",
    "攻读",
    "正在学习",
    "学习",
    "报考",
    "计划",
    "打算",
    "拟",
    "考取中",
    "正在",
    "未",
    "没有",
    "尚未",
    "无",
    "熟悉",
    "了解",
    "参加",
    "备战",
    "冲刺",
    "applied for",
    "applying for",
    "application for",
    "team of",
    "managed",
    "supervised",
    "hired",
    "recruited",
    "申请",
    "带领",
];

/// Words after a name that make it something not (yet) held.
const AFTER_NOT_HELD: &[&str] = &[
    "candidate",
    "candidates",
    "in progress",
    "expected",
    "pending",
    "course",
    "courses",
    "coursework",
    "training",
    "affiliate",
    "expired",
    "lapsed",
    "在读",
    "备考",
    "进行中",
    "考生",
    "候选人",
    "课程",
    "培训",
    "在考",
    "学员",
    "预计",
    "准会员",
    "已失效",
    "过期",
];

/// Exam stages after a name: not held, unless the entry has levels of its
/// own (then it is the level held).
const AFTER_STAGE: &[&str] = &[
    "level i",
    "level ii",
    "level iii",
    "level 1",
    "level 2",
    "level 3",
    "part i",
    "part ii",
    "step 1",
    "step 2",
    "step 3",
    "一级",
    "二级",
    "三级",
];

/// Words that say it is held, which win over a cue further away.
const HELD: &[&str] = &[
    "holder",
    "holding",
    "hold",
    "holds",
    "charterholder",
    "awarded",
    "obtained",
    "earned",
    "achieved",
    "granted",
    "licensed",
    "certified",
    "registered",
    "member",
    "fellow",
    "持有",
    "获得",
    "取得",
    "持证",
    "拥有",
    "获",
];

pub(crate) struct Cues {
    /// Cues before a name, longest first, with whether they say held.
    before: Vec<(Pattern, bool)>,
    before_starts: Starts<u16>,
    /// Cues after a name, with whether they are exam stages.
    after: Vec<(Pattern, bool)>,
    after_starts: Starts<u16>,
}

impl Cues {
    pub fn new() -> Cues {
        let mut before: Vec<(Pattern, bool)> = BEFORE_NOT_HELD
            .iter()
            .map(|t| (Pattern::of(t), false))
            .chain(HELD.iter().map(|t| (Pattern::of(t), true)))
            .collect();
        before.sort_by_key(|(p, _)| std::cmp::Reverse(p.slots.len()));
        let after: Vec<(Pattern, bool)> = AFTER_NOT_HELD
            .iter()
            .map(|t| (Pattern::of(t), false))
            .chain(AFTER_STAGE.iter().map(|t| (Pattern::of(t), true)))
            .collect();
        Cues {
            before_starts: filed(&before),
            before,
            after_starts: filed(&after),
            after,
        }
    }

    /// Whether the name at units `[a, b)` is held: no cue against it in
    /// the few units before it (unless a cue for it stands nearer) or
    /// right after it. `has_levels`: the entry has levels of its own, so a
    /// level after its name is the level held, not an exam stage.
    /// `(before, after)`: where the names of other entries around it end
    /// and start; cues beyond them are theirs.
    pub fn holds(
        &self,
        stream: &Stream,
        roots: &mut Roots,
        (a, b): (usize, usize),
        (before, after): (usize, usize),
        has_levels: bool,
    ) -> bool {
        let reach = |i: usize| if is_han(stream, i) { 10 } else { 6 };
        let (from, _) = stream.window(a, b, reach(a.saturating_sub(1)));
        let after_reach = 8;
        let from = from.max(before);
        let mut cues = Vec::new();
        // The nearest cue before the name decides.
        for start in (from..a).rev() {
            self.before_starts.at(stream, roots, start, &mut cues);
            let cue = cues
                .iter()
                .map(|&k| &self.before[k as usize])
                .find(|(p, _)| p.slots.len() <= a - start && p.matches_at(stream, roots, start));
            if let Some((_, held)) = cue {
                return *held;
            }
        }
        let (_, to) = stream.window(a, b, after_reach);
        let to = to.min(after);
        for at in b..to {
            self.after_starts.at(stream, roots, at, &mut cues);
            let against = cues
                .iter()
                .map(|&k| &self.after[k as usize])
                .any(|(p, stage)| {
                    (!stage || !has_levels)
                        && at + p.slots.len() <= to
                        && p.matches_at(stream, roots, at)
                });
            if against {
                return false;
            }
        }
        true
    }
}

/// Cues filed by their first unit, under their place in `cues`.
fn filed(cues: &[(Pattern, bool)]) -> Starts<u16> {
    let mut starts = Starts::new();
    for (k, (p, _)) in cues.iter().enumerate() {
        starts.insert(p, k as u16);
    }
    starts
}

fn is_han(stream: &Stream, i: usize) -> bool {
    stream
        .units
        .get(i)
        .is_some_and(|u| matches!(u.key, Key::Han(_)))
}
