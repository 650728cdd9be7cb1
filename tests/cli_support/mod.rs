//! Shared helpers of the CLI tests: running the `schemactl` binary in a directory, and
//! `schemactl registry serve` as a process on an ephemeral loopback port.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};

use assert_cmd::Command;

/// Runs schemactl in `dir`, with no registry from the environment; (exit code, stdout, stderr).
pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("schemactl")
        .unwrap()
        .current_dir(dir)
        .env_remove("SCHEMA_REGISTRY_URL")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `schemactl registry serve` on an ephemeral loopback port, killed on drop.
pub struct Server {
    child: Child,
    pub url: String,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `schemactl registry serve` over a fresh store and reads its URL from the first line
/// it prints.
pub fn serve() -> Server {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("registry.db");
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("schemactl"))
        .args(["registry", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(&db)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in: {line}"))
        .to_string();
    Server {
        child,
        url,
        _data: data,
    }
}
