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

/// A `schemactl.toml`: the embedded store under `.schemactl/`, then one `[[subject]]` table per
/// entry of `subjects` (the table's lines).
pub fn config(subjects: &[&str]) -> String {
    let mut text = "[registry]\npath = \".schemactl/registry.db\"\n".to_string();
    for subject in subjects {
        text.push_str("\n[[subject]]\n");
        text.push_str(subject);
    }
    text
}

/// A project in a temporary directory: its files written at creation, schemactl run inside it.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    /// A project holding `files` as (name, text): `schemactl.toml` and the schemas it names.
    pub fn new(files: &[(&str, &str)]) -> Self {
        let project = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        for (file, text) in files {
            project.write(file, text);
        }
        project
    }

    /// The embedded store and two subjects: the value of `topic`, in `file` (name, text),
    /// references by `reference` the subject `address`, in `address` (name, text).
    pub fn referencing(
        topic: &str,
        file: (&str, &str),
        reference: &str,
        address: (&str, &str),
    ) -> Self {
        let config = config(&[
            &format!(
                "topic = \"{topic}\"\nschema = \"{}\"\n\
                 references = [{{ name = \"{reference}\", subject = \"address\" }}]\n",
                file.0
            ),
            &format!("name = \"address\"\nschema = \"{}\"\n", address.0),
        ]);
        Self::new(&[("schemactl.toml", &config), file, address])
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// One file of the project, as it is now.
    pub fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path().join(file)).unwrap()
    }

    /// Writes (or rewrites) one file of the project, making its directory if need be.
    pub fn write(&self, file: &str, text: &str) {
        let path = self.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Makes the project a git repository whose branch `branch` holds every file as it is now.
    pub fn commit_to_git(&self, branch: &str) {
        git(self.path(), &["init", "-q", "-b", branch]);
        git(self.path(), &["add", "."]);
        git(self.path(), &["commit", "-q", "-m", "v1"]);
    }

    /// Registers the project as it is (which must succeed), then rewrites `file` with `text`:
    /// the next version, for `check` or `register` to judge.
    pub fn register_then_write(&self, file: &str, text: &str) {
        self.register(&[]);
        self.write(file, text);
    }

    /// Runs `register` with `args`, which must succeed; its stdout.
    pub fn register(&self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.run(&[&["register"], args].concat());
        assert_eq!(code, 0, "{stdout}{stderr}");
        stdout
    }

    /// Runs schemactl in the project; (exit code, stdout, stderr), as [`run_in`].
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        run_in(self.path(), args)
    }
}

/// Runs git in `dir` as a throwaway identity; a failure fails the test.
pub fn git(dir: &Path, args: &[&str]) {
    let status = StdCommand::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
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
