//! The Python side of the interop and differential tests: which interpreter, and a script
//! driven over its standard streams one line a request. Included by the tests of this crate
//! (`mod python_support;`) and by the example and codegen crates' tests (`#[path]`), so it
//! uses nothing but `std`.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository's root, from whichever workspace member includes this module: the folder
/// above the package that holds the Python scripts (`tests/interop`).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("tests/interop").is_dir())
        .expect("the repository holds tests/interop")
        .to_path_buf()
}

/// The interpreter: `SCHEMACTL_PYTHON`, else the `.venv` that `bash tests/setup.sh` makes in the
/// repository, else `python3` from `PATH`.
pub fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("SCHEMACTL_PYTHON") {
        return PathBuf::from(python);
    }
    let venv = repo().join(".venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

/// Runs `tests/interop/{script}` with `args` to its end and returns what it printed; the test
/// fails with the script's stderr unless it exits 0.
pub fn run_script(script: &str, args: &[&dyn AsRef<OsStr>]) -> Vec<u8> {
    let out = Command::new(python())
        .arg(repo().join("tests/interop").join(script))
        .args(args)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{script} failed (is confluent-kafka installed? `bash tests/setup.sh`):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs `tests/interop/{script}` in one process, writes it `requests`, one a line, and returns
/// the lines it answers, in order. The test fails (naming `install`, how to get what the script
/// needs) unless Python runs it, it exits 0 and it answers one line per request.
pub fn ask_lines(script: &str, requests: Vec<String>, install: &str) -> Vec<String> {
    let python = python();
    let mut child = Command::new(&python)
        .arg(repo().join("tests/interop").join(script))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}); {install}", python.display()));
    let mut stdin = child.stdin.take().expect("stdin");
    let count = requests.len();
    let input: String = requests.into_iter().map(|r| r + "\n").collect();
    // Written from a thread so that a full stdout pipe cannot deadlock the two processes.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let answers: Vec<String> = BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map(|line| line.expect("oracle output"))
        .collect();
    writer.join().expect("writer thread");
    let output = child.wait_with_output().expect("oracle exits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed ({}): {stderr}\nFor {}: {install}",
        output.status,
        python.display()
    );
    assert_eq!(
        answers.len(),
        count,
        "one answer per request; stderr: {stderr}"
    );
    answers
}
