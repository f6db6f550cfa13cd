//! Evidence files: what they are is read from their first bytes, never
//! from their name.

use serde::{Deserialize, Serialize};

/// At most 10 MiB per file.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
}

impl MediaType {
    /// The type of `bytes` by their signature, or None when it is none of
    /// the three allowed.
    pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
        if bytes.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(MediaType::Png)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    pub fn from_mime(mime_type: &str) -> Option<MediaType> {
        [MediaType::Pdf, MediaType::Jpeg, MediaType::Png]
            .into_iter()
            .find(|m| m.mime() == mime_type)
    }

    pub const ALLOWED: &'static str = "PDF, JPEG or PNG";
}

/// A file name fit to show: its last path component, control, invisible
/// formatting (a right-to-left override, U+202E, makes `cert` + U+202E +
/// `fdp.exe` read as `certexe.pdf`) and path characters dropped, at most 100 characters. Only ever displayed;
/// files are stored under their content hash.
pub fn display_name(given: &str) -> String {
    let last = given.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .filter(|c| {
            crate::text::unwanted(*c, crate::text::Lines::One).is_none() && !"<>:\"|?*".contains(*c)
        })
        .take(100)
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() {
        "evidence".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content_not_names() {
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n..."), Some(MediaType::Pdf));
        assert_eq!(
            MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(
            MediaType::sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Some(MediaType::Png)
        );
        assert_eq!(MediaType::sniff(b"MZ\x90\0 evil.exe renamed to .pdf"), None);
        assert_eq!(MediaType::sniff(b""), None);
        assert_eq!(MediaType::sniff(b"<html>%PDF-"), None);
    }

    #[test]
    fn given_names_are_only_for_display_and_cannot_climb_paths() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\Users\\me\\cert.pdf"), "cert.pdf");
        assert_eq!(display_name("..\u{0}"), "evidence");
        assert_eq!(display_name(""), "evidence");
        assert_eq!(display_name("学位证书.pdf"), "学位证书.pdf");
        assert_eq!(display_name("cert\u{202E}fdp.exe"), "certfdp.exe");
        assert_eq!(display_name("a\u{200B}b\u{FEFF}.pdf"), "ab.pdf");
    }
}
