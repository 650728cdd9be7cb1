//! The `wire` and `wire-json` rule sets against the buf CLI: on every fixture case marked
//! `buf: agree`, the rule ids schemactl adds to Confluent's must equal the ids `buf breaking`
//! reports with the WIRE and WIRE_JSON categories.
//!
//! Needs buf: `npm install --prefix tests/interop/buf` (or set SCHEMACTL_BUF to a buf binary).

#[path = "fixtures/protobuf/case.rs"]
mod case;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use schemactl::compat::protobuf::rules;
use schemactl::compat::{self, Direction, Options, RuleSet};
use schemactl::schema;

fn buf_binary() -> PathBuf {
    let path = std::env::var_os("SCHEMACTL_BUF")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/buf/node_modules/.bin/buf")
        });
    assert!(
        path.exists(),
        "buf not found at {}: run `npm install --prefix tests/interop/buf` (installs @bufbuild/buf), \
         or set SCHEMACTL_BUF to a buf binary",
        path.display()
    );
    path
}

/// The rule ids `buf breaking` reports for `category`, old → new.
fn buf_ids(buf: &Path, dir: &Path, category: &str) -> BTreeSet<String> {
    std::fs::write(dir.join("old/buf.yaml"), "version: v2\n").unwrap();
    std::fs::write(
        dir.join("new/buf.yaml"),
        format!("version: v2\nbreaking:\n  use: [{category}]\n"),
    )
    .unwrap();
    let out = Command::new(buf)
        .args(["breaking", "--against", "../old", "--error-format", "json"])
        .current_dir(dir.join("new"))
        .output()
        .expect("buf runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let ids: BTreeSet<String> = stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("buf printed '{l}': {e}"));
            v["type"].as_str().unwrap_or_default().to_string()
        })
        .collect();
    assert!(
        out.status.success() || !ids.is_empty(),
        "buf failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    ids
}

fn ours(dir: &Path, rules_set: RuleSet) -> BTreeSet<String> {
    let old = schema::load_file(&dir.join("old/schema.proto"), None, &[]).unwrap();
    let new = schema::load_file(&dir.join("new/schema.proto"), None, &[]).unwrap();
    let options = Options {
        rules: rules_set,
        verbose: false,
    };
    compat::check_pair(&new, &old, Direction::Backward, &options)
        .unwrap()
        .into_iter()
        .filter(|f| !rules::by_id(f.kind).unwrap().applies(RuleSet::Confluent))
        .map(|f| f.kind.to_string())
        .collect()
}

#[test]
fn wire_sets_agree_with_buf_breaking() {
    let buf = buf_binary();
    let cases: Vec<case::Case> = case::load_all().into_iter().filter(|c| c.buf).collect();
    assert!(
        cases.len() >= 50,
        "only {} cases are marked buf: agree",
        cases.len()
    );
    let failures: Vec<String> = std::thread::scope(|scope| {
        let chunks: Vec<&[case::Case]> = cases.chunks(cases.len().div_ceil(4)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let buf = &buf;
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for c in chunk {
                        let dir = tempfile::tempdir().unwrap();
                        c.write_to(dir.path());
                        for (set, category) in
                            [(RuleSet::Wire, "WIRE"), (RuleSet::WireJson, "WIRE_JSON")]
                        {
                            let theirs = buf_ids(buf, dir.path(), category);
                            let mine = ours(dir.path(), set);
                            if theirs != mine {
                                failures.push(format!(
                                    "{} {category}: buf {theirs:?}, schemactl {mine:?}",
                                    c.name
                                ));
                            }
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
