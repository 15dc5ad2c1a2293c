//! Running the `saldo` binary as an operator would, for the binary's tests.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use saldo_store::test_db::TestDb;
use serde_json::Value;

pub const SALDO: &str = env!("CARGO_BIN_EXE_saldo");

/// A running `saldo demo`, stopped when dropped.
pub struct Demo {
    pub process: Child,
    pub credentials: Value,
}

impl Demo {
    pub fn base(&self) -> &str {
        self.credentials["base_url"].as_str().expect("base_url")
    }

    /// Ends the process at once, as a power cut or `kill -9` would: no
    /// graceful shutdown, no chance to finish what it was doing.
    pub fn kill(&mut self) {
        self.process.kill().expect("kill saldo");
        self.process.wait().expect("reap saldo");
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Starts `saldo demo` on the database, with a config file if given, and
/// waits until it serves.
pub fn start_demo(db: &TestDb, credentials_file: &Path, config: Option<&Path>) -> Demo {
    let mut command = Command::new(SALDO);
    if let Some(config) = config {
        command.arg("--config").arg(config);
    }
    let mut process = command
        .args(["demo", "--database-url", &db.url, "--listen", "127.0.0.1:0", "--credentials-out"])
        .arg(credentials_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start saldo demo");
    // The demo prints the URL to open once it listens.
    let stdout = process.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "the demo did not start");
        match lines.next() {
            Some(Ok(line)) if line.contains("open http://") => break,
            Some(Ok(_)) => continue,
            _ => panic!("the demo exited before serving"),
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let credentials = serde_json::from_str(&std::fs::read_to_string(credentials_file).expect("credentials"))
        .expect("credentials are JSON");
    Demo { process, credentials }
}

/// `saldo verify`: whether the books hold, and what it said.
pub fn verify(db: &TestDb) -> (bool, String) {
    let out = Command::new(SALDO).args(["verify", "--database-url", &db.url]).output().expect("run verify");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}
