//! The importer for the publication format of Beijing's catalogue notices:
//! a title line, the declared total (共计N项), sections (（一）…（N项）),
//! a table header, rows of six tab-separated columns, and blank lines
//! between page fragments. It never panics and reports every problem it
//! finds with its line, column and the offending text.

use serde::Serialize;
use std::fmt;

use crate::text::{tidy_spaces, Bilingual};

/// The number of columns of a catalogue row.
pub const COLUMNS: usize = 6;

/// The published text, parsed but not yet interpreted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    pub title: String,
    pub declared_total: u32,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// 1-based ordinal from the heading's （一）, （二）…
    pub ordinal: u32,
    /// The heading's name without ordinal and count, e.g. 急需紧缺境外职业资格清单.
    pub name: String,
    pub declared: u32,
    pub line: usize,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// One row of the table, with its cells as published (stray spaces tidied
/// for the structured fields; the verbatim cells are kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub line: usize,
    pub seq: u32,
    pub name: String,
    pub issuer: String,
    pub region: String,
    pub field: String,
    pub remark: String,
    /// The six cells exactly as they stand in the text.
    pub cells: Vec<String>,
}

/// What is wrong with a text, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    pub code: &'static str,
    pub message: Bilingual,
    /// The offending text (shortened to 80 characters).
    pub text: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {} [{}] «{}»",
            self.line, self.column, self.message.en, self.code, self.text
        )
    }
}

impl Diagnostic {
    fn new(
        line: usize,
        column: usize,
        code: &'static str,
        zh: String,
        en: String,
        text: &str,
    ) -> Self {
        let text: String = if text.chars().count() > 80 {
            text.chars().take(79).chain(std::iter::once('…')).collect()
        } else {
            text.to_string()
        };
        Diagnostic {
            line,
            column,
            code,
            message: Bilingual { zh, en },
            text,
        }
    }

    /// The message in one language, with its place.
    pub fn render(&self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::En => self.to_string(),
            crate::Lang::Zh => format!(
                "第{}行第{}列：{} [{}] «{}»",
                self.line, self.column, self.message.zh, self.code, self.text
            ),
        }
    }
}

impl Publication {
    /// Writes the publication back in its own format, renumbering the rows
    /// and recounting the totals (used to make synthetic editions).
    pub fn to_text(&self) -> String {
        const ORDINALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        let total: usize = self.sections.iter().map(|s| s.rows.len()).sum();
        let mut out = format!("{}\n\n（共计{total}项）\n\n", self.title);
        for (i, s) in self.sections.iter().enumerate() {
            out += &format!(
                "（{}）{}（{}项）\n\n",
                ORDINALS.get(i).copied().unwrap_or("十"),
                s.name,
                s.rows.len()
            );
            let header = if s.header.len() == COLUMNS {
                s.header.join("\t")
            } else {
                "序号\t职业资格证书名称\t证书颁发机构 (国内认证机构)\t国家 (地区)\t领域\t备注"
                    .to_string()
            };
            out += &header;
            out += "\n";
            for (n, r) in s.rows.iter().enumerate() {
                out += &format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    n + 1,
                    r.name,
                    r.issuer,
                    r.region,
                    r.field,
                    r.remark
                );
            }
            out += "\n";
        }
        out
    }
}

/// Parses a publication; on failure returns every problem found.
pub fn parse(bytes: &[u8]) -> Result<Publication, Vec<Diagnostic>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut parser = Parser::default();
    for (idx, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        parser.line(idx + 1, raw);
    }
    parser.finish()
}

/// What the parser has read so far, line by line.
#[derive(Default)]
struct Parser {
    diags: Vec<Diagnostic>,
    title: Option<(usize, String)>,
    /// The last line of text before the declared total (the title, if the
    /// total follows).
    last_text: Option<(usize, String)>,
    declared_total: Option<(usize, u32)>,
    sections: Vec<Section>,
}

impl Parser {
    /// Reads one line: the preamble (title and total) until the total is
    /// found, then section headings, table headers and rows.
    fn line(&mut self, line_no: usize, raw: &[u8]) {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let line = self.decode(line_no, raw);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return;
        }
        if self.declared_total.is_none() {
            self.preamble_line(line_no, trimmed);
            return;
        }
        if let Some(heading) = parse_heading(trimmed) {
            open_section(
                &mut self.sections,
                &mut self.diags,
                heading,
                line_no,
                trimmed,
            );
            return;
        }
        self.table_line(line_no, &line, trimmed);
    }

    /// The line as text; invalid UTF-8 is reported and replaced.
    fn decode(&mut self, line_no: usize, raw: &[u8]) -> String {
        match std::str::from_utf8(raw) {
            Ok(s) => s.to_string(),
            Err(e) => {
                let good = String::from_utf8_lossy(&raw[..e.valid_up_to()]);
                self.diags.push(Diagnostic::new(
                    line_no,
                    good.chars().count() + 1,
                    "invalid_utf8",
                    "文本不是有效的UTF-8编码".into(),
                    "the text is not valid UTF-8".into(),
                    &String::from_utf8_lossy(raw),
                ));
                String::from_utf8_lossy(raw).into_owned()
            }
        }
    }

    /// A line before the declared total: the total itself, a section
    /// heading (the total is missing), or text (perhaps the title).
    fn preamble_line(&mut self, line_no: usize, trimmed: &str) {
        if let Some(n) = parse_total(trimmed) {
            match n {
                Some(n) => self.declared_total = Some((line_no, n)),
                None => self.diags.push(Diagnostic::new(
                    line_no,
                    1,
                    "bad_total",
                    "无法读取共计项数".into(),
                    "the declared total (共计N项) is not a number".into(),
                    trimmed,
                )),
            }
            self.title = self.last_text.take();
            return;
        }
        if let Some(heading) = parse_heading(trimmed) {
            self.diags.push(Diagnostic::new(
                line_no,
                1,
                "missing_total",
                "清单之前缺少“（共计N项）”".into(),
                "the declared total (共计N项) is missing before the first section".into(),
                trimmed,
            ));
            self.declared_total = Some((line_no, 0));
            self.title = self.last_text.take();
            open_section(
                &mut self.sections,
                &mut self.diags,
                heading,
                line_no,
                trimmed,
            );
            return;
        }
        self.last_text = Some((line_no, trimmed.to_string()));
    }

    /// A line inside a section: its table header or a row.
    fn table_line(&mut self, line_no: usize, line: &str, trimmed: &str) {
        let Some(section) = self.sections.last_mut() else {
            self.diags.push(Diagnostic::new(
                line_no,
                1,
                "unexpected_line",
                "在第一个清单标题之前出现了无法识别的内容".into(),
                "unrecognised text before the first section heading".into(),
                trimmed,
            ));
            return;
        };
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.first().map(|c| c.trim()) == Some("序号") {
            read_header(section, &mut self.diags, line_no, trimmed, &cells);
            return;
        }
        if section.header.is_empty() {
            self.diags.push(Diagnostic::new(
                line_no,
                1,
                "missing_header",
                "数据行之前缺少表头（序号…）".into(),
                "a row comes before the section's table header (序号…)".into(),
                trimmed,
            ));
            section.header.push("序号".into());
        }
        parse_row(section, &mut self.diags, line_no, line, &cells);
    }

    /// The publication, or every problem found, counts included.
    fn finish(mut self) -> Result<Publication, Vec<Diagnostic>> {
        let Some((total_line, total)) = self.declared_total else {
            let (line, text) = self.last_text.unwrap_or((1, String::new()));
            self.diags.push(Diagnostic::new(line, 1, "missing_total", "找不到“（共计N项）”，文本不完整或格式不符".into(), "no declared total (共计N项) found: the text is truncated or not in the catalogue format".into(), &text));
            return Err(self.diags);
        };
        self.check_counts(total_line, total);
        let mut diags = self.diags;
        diags.sort_by_key(|d| (d.line, d.column));
        if diags.is_empty() {
            let title = self.title.map(|t| t.1).unwrap_or_default();
            Ok(Publication {
                title,
                declared_total: total,
                sections: self.sections,
            })
        } else {
            Err(diags)
        }
    }

    /// Sections present; rows as many as the total and each section declare.
    fn check_counts(&mut self, total_line: usize, total: u32) {
        let diags = &mut self.diags;
        if self.sections.is_empty() {
            diags.push(Diagnostic::new(
                total_line,
                1,
                "no_sections",
                "没有任何清单（（一）……（N项））".into(),
                "no section (（一）…（N项）) found".into(),
                "",
            ));
        }
        let found: usize = self.sections.iter().map(|s| s.rows.len()).sum();
        if found != total as usize && total != 0 {
            diags.push(Diagnostic::new(
                total_line,
                1,
                "total_mismatch",
                format!("声明共计{total}项，实际找到{found}项"),
                format!("the text declares {total} entries in all but {found} rows were found"),
                &format!("（共计{total}项）"),
            ));
        }
        for s in &self.sections {
            if s.rows.len() != s.declared as usize {
                diags.push(Diagnostic::new(
                    s.line,
                    1,
                    "section_count_mismatch",
                    format!(
                        "清单“{}”声明{}项，实际找到{}项",
                        s.name,
                        s.declared,
                        s.rows.len()
                    ),
                    format!(
                        "section “{}” declares {} entries but {} rows were found",
                        s.name,
                        s.declared,
                        s.rows.len()
                    ),
                    &s.name,
                ));
            }
        }
    }
}

/// A section's table header: six columns, once.
fn read_header(
    section: &mut Section,
    diags: &mut Vec<Diagnostic>,
    line_no: usize,
    trimmed: &str,
    cells: &[&str],
) {
    if cells.len() != COLUMNS {
        diags.push(Diagnostic::new(
            line_no,
            1,
            "column_count",
            format!("表头应有{COLUMNS}列，实际为{}列", cells.len()),
            format!(
                "the table header must have {COLUMNS} tab-separated columns, found {}",
                cells.len()
            ),
            trimmed,
        ));
    }
    if !section.header.is_empty() {
        diags.push(Diagnostic::new(
            line_no,
            1,
            "repeated_header",
            "同一清单中表头重复出现".into(),
            "the table header appears twice in one section".into(),
            trimmed,
        ));
    }
    section.header = cells.iter().map(|c| c.trim().to_string()).collect();
}

fn open_section(
    sections: &mut Vec<Section>,
    diags: &mut Vec<Diagnostic>,
    heading: Heading,
    line_no: usize,
    text: &str,
) {
    let expected = sections.len() as u32 + 1;
    match heading.ordinal {
        Some(n) if n == expected => {}
        _ => diags.push(Diagnostic::new(
            line_no,
            1,
            "section_order",
            format!("清单序号应为第{expected}个"),
            format!("section headings must be numbered in order; expected number {expected}"),
            text,
        )),
    }
    let declared = match heading.declared {
        Some(n) => n,
        None => {
            diags.push(Diagnostic::new(
                line_no,
                1,
                "bad_section_count",
                "清单标题中的项数不是数字".into(),
                "the section heading's count (N项) is not a number".into(),
                text,
            ));
            0
        }
    };
    sections.push(Section {
        ordinal: expected,
        name: heading.name,
        declared,
        line: line_no,
        header: Vec::new(),
        rows: Vec::new(),
    });
}

/// One row of a section's table: its number in sequence, six columns,
/// a name and an issuer.
fn parse_row(
    section: &mut Section,
    diags: &mut Vec<Diagnostic>,
    line_no: usize,
    line: &str,
    cells: &[&str],
) {
    let seq_text = cells[0].trim();
    let seq = match seq_text.parse::<u32>() {
        Ok(n) => n,
        Err(_) => {
            diags.push(Diagnostic::new(
                line_no,
                1,
                "bad_number",
                "序号不是正整数（或这一行不是表格行）".into(),
                "the row number is not a whole number (or the line is not a table row)".into(),
                line.trim(),
            ));
            return;
        }
    };
    check_sequence(section, diags, line_no, seq, seq_text);
    if cells.len() != COLUMNS {
        diags.push(Diagnostic::new(
            line_no,
            1,
            "column_count",
            format!("应有{COLUMNS}列（以制表符分隔），实际为{}列", cells.len()),
            format!(
                "a row must have {COLUMNS} tab-separated columns, found {}",
                cells.len()
            ),
            line.trim(),
        ));
        push_padded_row(section, line_no, seq, cells);
        return;
    }
    let column_of = |i: usize| {
        cells[..i]
            .iter()
            .map(|c| c.chars().count() + 1)
            .sum::<usize>()
            + 1
    };
    for (i, what_zh, what_en) in [
        (1, "证书名称", "qualification name"),
        (2, "颁发机构", "issuer"),
    ] {
        if cells[i].trim().is_empty() {
            diags.push(Diagnostic::new(
                line_no,
                column_of(i),
                "empty_cell",
                format!("{what_zh}为空"),
                format!("the {what_en} (column {}) is empty", i + 1),
                line.trim(),
            ));
        }
    }
    section.rows.push(Row {
        line: line_no,
        seq,
        name: tidy_spaces(cells[1]),
        issuer: cells[2].split_whitespace().collect::<Vec<_>>().join(" "),
        region: cells[3].trim().to_string(),
        field: tidy_spaces(cells[4]),
        remark: cells[5].trim().to_string(),
        cells: cells.iter().map(|c| c.to_string()).collect(),
    });
}

/// A row number repeated or out of sequence.
fn check_sequence(
    section: &Section,
    diags: &mut Vec<Diagnostic>,
    line_no: usize,
    seq: u32,
    seq_text: &str,
) {
    let expected = section.rows.last().map(|r| r.seq + 1).unwrap_or(1);
    if seq == expected {
        return;
    }
    let (zh, en) = if section.rows.iter().any(|r| r.seq == seq) {
        (
            format!("序号{seq}重复，应为{expected}"),
            format!("row number {seq} is repeated; expected {expected}"),
        )
    } else {
        (
            format!("序号{seq}不连续，应为{expected}"),
            format!("row number {seq} breaks the sequence; expected {expected}"),
        )
    };
    diags.push(Diagnostic::new(
        line_no,
        1,
        "number_sequence",
        zh,
        en,
        seq_text,
    ));
}

/// Keeps a row of the wrong width (padded) so that one bad row does not
/// also break the numbering and the counts; the text is rejected all the same.
fn push_padded_row(section: &mut Section, line_no: usize, seq: u32, cells: &[&str]) {
    let mut cells: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
    cells.resize(COLUMNS, String::new());
    section.rows.push(Row {
        line: line_no,
        seq,
        name: tidy_spaces(&cells[1]),
        issuer: cells[2].clone(),
        region: cells[3].clone(),
        field: tidy_spaces(&cells[4]),
        remark: cells[5].clone(),
        cells,
    });
}

/// `（共计122项）` → Some(Some(122)); `（共计X项）` → Some(None); otherwise None.
fn parse_total(line: &str) -> Option<Option<u32>> {
    let inner = strip_parens(line)?;
    let n = inner.strip_prefix("共计")?.strip_suffix('项')?;
    Some(n.trim().parse().ok())
}

struct Heading {
    ordinal: Option<u32>,
    name: String,
    declared: Option<u32>,
}

/// `（一）急需紧缺境外职业资格清单（7项）`
fn parse_heading(line: &str) -> Option<Heading> {
    let rest = line.strip_prefix('（').or_else(|| line.strip_prefix('('))?;
    let close = rest.find(['）', ')'])?;
    let ordinal_text = &rest[..close];
    if ordinal_text.is_empty()
        || !ordinal_text
            .chars()
            .all(|c| "一二三四五六七八九十".contains(c))
    {
        return None;
    }
    let after = &rest[close + rest[close..].chars().next()?.len_utf8()..];
    let open = after.rfind(['（', '('])?;
    let count = strip_parens(&after[open..])?;
    let declared = count.strip_suffix('项').map(|n| n.trim().parse().ok())?;
    Some(Heading {
        ordinal: chinese_numeral(ordinal_text),
        name: after[..open].trim().to_string(),
        declared,
    })
}

fn strip_parens(s: &str) -> Option<&str> {
    let s = s.trim();
    let s = s.strip_prefix('（').or_else(|| s.strip_prefix('('))?;
    s.strip_suffix('）').or_else(|| s.strip_suffix(')'))
}

/// 一..九十九 as a number.
fn chinese_numeral(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "一二三四五六七八九"
            .find(c)
            .map(|i| (i / '一'.len_utf8()) as u32 + 1)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', u] => Some(10 * digit(*t)? + digit(*u)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICIAL: &str = include_str!("../../../catalogs/beijing/3.0/catalog.txt");

    #[test]
    fn the_official_text_parses_into_two_sections() {
        let p = parse(OFFICIAL.as_bytes()).expect("official text is valid");
        assert_eq!(p.title, "北京市境外职业资格认可目录（3.0版）");
        assert_eq!(p.declared_total, 122);
        assert_eq!(p.sections.len(), 2);
        assert_eq!(p.sections[0].rows.len(), 7);
        assert_eq!(p.sections[1].rows.len(), 115);
        assert_eq!(p.sections[1].rows[13].name, "PMP项目管理证书");
        assert_eq!(p.sections[1].rows[13].field, "建筑与工程服务");
    }

    #[test]
    fn every_kind_of_diagnostic_has_a_chinese_and_an_english_message() {
        let texts: [&[u8]; 4] = [
            "标题\n（一）清单甲（X项）\n1\tA\tB\tC\tD\tE\n序号\t名称\nx\ty\n3\t\t\tC\tD\tE\n4\tA\n（三）清单乙（1项）\n"
                .as_bytes(),
            "标题\n（共计X项）\n".as_bytes(),
            "标题\n（共计5项）\n其他内容\n".as_bytes(),
            b"\xff\xfe title\n",
        ];
        let mut codes = std::collections::BTreeSet::new();
        for text in texts {
            for d in parse(text).unwrap_err() {
                assert!(
                    d.message.zh.chars().any(crate::text::is_cjk),
                    "{}: no Chinese message: {}",
                    d.code,
                    d.message.zh
                );
                assert!(!d.message.en.trim().is_empty(), "{}", d.code);
                assert!(d.render(crate::Lang::Zh).starts_with('第'), "{}", d.code);
                codes.insert(d.code);
            }
        }
        let every = [
            "bad_number",
            "bad_section_count",
            "bad_total",
            "column_count",
            "empty_cell",
            "invalid_utf8",
            "missing_header",
            "missing_total",
            "no_sections",
            "number_sequence",
            "repeated_header",
            "section_count_mismatch",
            "section_order",
            "total_mismatch",
            "unexpected_line",
        ];
        assert_eq!(codes.into_iter().collect::<Vec<_>>(), every);
    }

    #[test]
    fn numerals() {
        assert_eq!(chinese_numeral("一"), Some(1));
        assert_eq!(chinese_numeral("十二"), Some(12));
        assert_eq!(chinese_numeral("二十一"), Some(21));
    }
}
