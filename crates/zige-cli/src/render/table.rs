//! Aligned plain-text tables that respect the display width of Chinese.

use unicode_width::UnicodeWidthStr;

/// Renders rows under a header, each column padded to its widest cell;
/// cells wider than `max` display columns are cut with an ellipsis.
pub fn render(header: &[&str], rows: &[Vec<String>], max: usize) -> String {
    let cut = |s: &str| -> String {
        if s.width() <= max {
            return s.to_string();
        }
        let mut out = String::new();
        for c in s.chars() {
            if out.width() + c.to_string().width() > max.saturating_sub(1) {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    };
    let cells: Vec<Vec<String>> =
        std::iter::once(header.iter().map(|h| h.to_string()).collect::<Vec<_>>())
            .chain(rows.iter().map(|r| r.iter().map(|c| cut(c)).collect()))
            .collect();
    let cols = header.len();
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            cells
                .iter()
                .map(|r| r.get(i).map(|c| c.width()).unwrap_or(0))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, row) in cells.iter().enumerate() {
        let mut line = String::new();
        for (i, c) in row.iter().enumerate() {
            line.push_str(c);
            if i + 1 < cols {
                line.push_str(&" ".repeat(widths[i] - c.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if n == 0 {
            out.push_str(
                &widths
                    .iter()
                    .map(|w| "─".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("  "),
            );
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn chinese_cells_align_by_display_width() {
        let t = super::render(
            &["编号", "name"],
            &[
                vec!["G1".into(), "英国皇家化学会会员".into()],
                vec!["G14".into(), "PMP".into()],
            ],
            40,
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "编号  name");
        assert_eq!(lines[2], "G1    英国皇家化学会会员");
        assert_eq!(lines[3], "G14   PMP");
    }
}
