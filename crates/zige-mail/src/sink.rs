//! For tests: a real SMTP server (`tools/smtp_sink.py`, aiosmtpd from
//! Debian's `python3-aiosmtpd`) on a free local port, and what it
//! received, decoded by Python's email package.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A message as the server received it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Received {
    /// The envelope's recipients.
    pub rcpt: Vec<String>,
    pub to: String,
    pub from: String,
    pub subject: String,
    pub message_id: String,
    pub content_language: String,
    pub date: String,
    pub text: Option<String>,
    pub html: Option<String>,
}

impl Received {
    /// The first link in the plain text that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text.as_deref()?;
        let start = text.find(prefix)?;
        let rest = &text[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        Some(rest[..end].to_string())
    }
}

/// The running server; stopped when dropped.
pub struct MailSink {
    pub port: u16,
    pub dir: PathBuf,
    child: Child,
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the sink script is: `tools/smtp_sink.py` at the workspace root.
fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/smtp_sink.py")
}

/// The Python that has aiosmtpd: `ZIGE_SMTP_PYTHON`, else Debian's.
fn python() -> String {
    std::env::var("ZIGE_SMTP_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into())
}

impl MailSink {
    /// Whether the sink can run here (Debian's Python with aiosmtpd). When
    /// not, a test skips with a note, unless `ZIGE_REQUIRE_SMTP` is set
    /// (as `.ci/run` does): then it fails.
    pub fn available() -> bool {
        let found = Command::new(python())
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            assert!(
                std::env::var_os("ZIGE_REQUIRE_SMTP").is_none(),
                "ZIGE_REQUIRE_SMTP is set but {} has no aiosmtpd (apt-get install python3-aiosmtpd)",
                python()
            );
            eprintln!("note: no aiosmtpd (apt-get install python3-aiosmtpd); skipped");
        }
        found
    }

    /// Starts a server writing into `dir`; with `delay`, it waits that
    /// long between storing a message and confirming it.
    pub fn start_in(dir: &Path, delay: Duration) -> MailSink {
        let port = free_port();
        let mut child = Command::new(python())
            .arg(script())
            .arg(port.to_string())
            .arg(dir)
            .arg(delay.as_secs_f64().to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tools/smtp_sink.py: /usr/bin/python3 with python3-aiosmtpd (apt-get install python3-aiosmtpd)");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("the sink's output");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
            .expect("the sink says it is ready");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        MailSink {
            port,
            dir: dir.to_path_buf(),
            child,
        }
    }

    /// Starts a server in a fresh temporary directory.
    pub fn start() -> MailSink {
        let dir =
            std::env::temp_dir().join(format!("zige-smtp-{}-{}", std::process::id(), free_port()));
        let _ = std::fs::remove_dir_all(&dir);
        MailSink::start_in(&dir, Duration::ZERO)
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter_map(|text| serde_json::from_str(&text).ok())
            .collect()
    }

    /// Waits until messages matching `wanted` number at least `n`: them.
    pub fn wait_for(&self, n: usize, wanted: impl Fn(&Received) -> bool) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let found: Vec<Received> = self.received().into_iter().filter(|m| wanted(m)).collect();
            if found.len() >= n || Instant::now() > deadline {
                return found;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The newest message to `address`, waiting for one to arrive.
    pub fn last_to(&self, address: &str) -> Received {
        let found = self.wait_for(1, |m| m.rcpt.iter().any(|r| r == address));
        found
            .last()
            .cloned()
            .unwrap_or_else(|| panic!("no message to {address} arrived"))
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}
