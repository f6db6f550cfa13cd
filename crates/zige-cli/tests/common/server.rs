//! A real `zige serve` process on a free port of 127.0.0.1, started and
//! waited for until it says where it listens.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::run::BIN;

/// A running server; killed when dropped.
pub struct Server {
    pub child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
}

/// How to start a server: `zige serve --addr 127.0.0.1:0 --data-dir DIR`,
/// then the flags and variables added.
pub struct Serve {
    command: Command,
    ready_within: Duration,
}

impl Serve {
    pub fn new(data_dir: &Path) -> Serve {
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .env("ZIGE_LOG", "warn,zige_web=info")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        Serve {
            command,
            ready_within: Duration::from_secs(60),
        }
    }

    /// Adds `--database-url URL` when there is one.
    pub fn database_url(mut self, url: Option<&str>) -> Serve {
        if let Some(url) = url {
            self.command.args(["--database-url", url]);
        }
        self
    }

    pub fn args(mut self, extra: &[&str]) -> Serve {
        self.command.args(extra);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Serve {
        self.command.env(key, value);
        self
    }

    /// How long the server may take to say it is ready [default: 60 s].
    pub fn ready_within(mut self, limit: Duration) -> Serve {
        self.ready_within = limit;
        self
    }

    /// Starts the server and waits until it prints the address it listens on.
    pub fn start(mut self) -> Server {
        let mut child = self.command.spawn().expect("zige serve starts");
        let out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(i) = line.find("http://127.0.0.1:") {
                        let url = line[i..].split_whitespace().next().unwrap();
                        let _ = tx.send(url.trim_end_matches('/').to_string());
                        sent = true;
                    }
                }
            }
        });
        let base = rx
            .recv_timeout(self.ready_within)
            .expect("the server says it is ready");
        Server { child, base }
    }
}

impl Server {
    /// Kills the server with SIGKILL: no graceful shutdown.
    pub fn kill9(mut self) {
        // std's kill() is SIGKILL on Unix.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Stops the server with SIGTERM and waits for it to exit.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
