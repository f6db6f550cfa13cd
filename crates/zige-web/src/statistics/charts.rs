//! Charts drawn on the server as SVG: horizontal bars, each labelled above
//! itself so that long names fit a phone. The numbers are always also in
//! a table beside the chart; the SVG names itself (`role="img"`, a title
//! and a description) and hides its text from screen readers, which read
//! the table.

/// One bar: its label, its value and where it is drawn.
pub struct Bar {
    pub label: String,
    /// The value as shown ("1,204", "—" for a withheld count).
    pub shown: String,
    pub y: u32,
    pub width: u32,
}

/// A bar chart ready for `templates/statistics/chart.html`.
pub struct BarChart {
    /// Unique on the page: ids of its title and description.
    pub id: String,
    pub title: String,
    pub description: String,
    pub height: u32,
    pub bars: Vec<Bar>,
}

/// Width of the drawing in SVG units; bars use at most [`BAR_MAX`].
pub const WIDTH: u32 = 360;
const BAR_MAX: u32 = 280;
const ROW: u32 = 38;
/// The widest label that fits the drawing, in Latin letters (a Chinese
/// character counts as two); longer ones end in `…` (the table beside
/// the chart has the whole name).
const LABEL_WIDTH: usize = 44;

/// `label` cut to fit the drawing.
fn fitted(label: &str) -> String {
    let mut width = 0;
    let mut out = String::new();
    for c in label.chars() {
        width += if c >= '\u{2E80}' { 2 } else { 1 };
        if width > LABEL_WIDTH {
            return format!("{}…", out.trim_end());
        }
        out.push(c);
    }
    out
}

impl BarChart {
    /// A chart of `values` (label, value); `None` values (withheld) draw
    /// no bar.
    pub fn new(
        id: &str,
        title: String,
        description: String,
        values: &[(String, Option<i64>)],
    ) -> BarChart {
        let max = values
            .iter()
            .filter_map(|(_, v)| *v)
            .max()
            .unwrap_or(0)
            .max(1);
        let bars = values
            .iter()
            .enumerate()
            .map(|(i, (label, value))| Bar {
                label: fitted(label),
                shown: value.map(thousands).unwrap_or_else(|| "—".into()),
                y: i as u32 * ROW,
                width: value
                    .map(|v| (v.max(0) as u64 * u64::from(BAR_MAX) / max as u64) as u32)
                    .unwrap_or(0),
            })
            .collect();
        BarChart {
            id: id.to_string(),
            title,
            description,
            height: (values.len() as u32 * ROW).max(ROW),
            bars,
        }
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_withheld_counts_draw_nothing() {
        let chart = BarChart::new(
            "c",
            "t".into(),
            "d".into(),
            &[
                ("a".into(), Some(10)),
                ("b".into(), Some(5)),
                ("c".into(), None),
            ],
        );
        assert_eq!(
            chart.bars.iter().map(|b| b.width).collect::<Vec<_>>(),
            [BAR_MAX, BAR_MAX / 2, 0]
        );
        assert_eq!(chart.bars[2].shown, "—");
        assert_eq!(thousands(1_234_567), "1,234,567");
        let long = "ABRSM Practical and Performance Grades (advanced grades and above)";
        assert_eq!(
            fitted(long),
            "ABRSM Practical and Performance Grades (adva…"
        );
        assert_eq!(fitted("IEEE Fellow"), "IEEE Fellow");
        assert_eq!(fitted(&"认".repeat(30)), format!("{}…", "认".repeat(22)));
        assert_eq!(thousands(999), "999");
    }
}
