//! `schemactl registry serve` as a process: graceful shutdown on SIGTERM/SIGINT, exit codes for
//! bad input and unavailable resources, and its help text.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn schemactl() -> Command {
    Command::new(env!("CARGO_BIN_EXE_schemactl"))
}

#[test]
fn serve_help_lists_its_flags() {
    let output = schemactl()
        .args(["registry", "serve", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[cfg(unix)]
#[test]
fn signals_stop_the_server_gracefully() {
    for signal in ["-TERM", "-INT"] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = schemactl()
            .args(["registry", "serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(dir.path().join("r.db"))
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        assert!(first.contains("listening on http://127.0.0.1:"), "{first}");
        let status = Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
        let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
        let exit = child.wait().unwrap();
        assert_eq!(exit.code(), Some(0), "{signal}: {rest:?}");
        assert!(
            rest.iter().any(|l| l.contains("stopped")),
            "{signal}: {rest:?}"
        );
        // The database was created and is usable.
        assert!(dir.path().join("r.db").exists());
    }
}

#[test]
fn a_missing_basic_auth_file_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let output = schemactl()
        .args([
            "registry",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--basic-auth-file",
        ])
        .arg(dir.path().join("missing.txt"))
        .arg("--data")
        .arg(dir.path().join("r.db"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.txt"));
}

#[test]
fn an_address_in_use_is_an_environment_failure() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let output = schemactl()
        .args(["registry", "serve", "--listen", &addr, "--data"])
        .arg(dir.path().join("r.db"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains(&addr));
}
