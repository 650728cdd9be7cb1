//! Table-driven Avro compatibility cases, one directory each under `tests/fixtures/avro/`.
//!
//! A case directory holds the registered versions `v1.avsc`, `v2.avsc`, … (oldest first), the
//! candidate `new.avsc`, and `expect.json`:
//!
//! ```json
//! {
//!   "about": "what the case shows",
//!   "BACKWARD": true, "BACKWARD_TRANSITIVE": false,
//!   "FORWARD": true, "FORWARD_TRANSITIVE": true,
//!   "FULL": true, "FULL_TRANSITIVE": false,
//!   "kinds": {"BACKWARD_TRANSITIVE": ["READER_FIELD_MISSING_DEFAULT_VALUE"], ...},
//!   "versions": {"BACKWARD_TRANSITIVE": [1], ...}
//! }
//! ```
//!
//! Every level is required. `kinds` lists, for every incompatible level, the exact set of
//! incompatibility types reported; `versions` lists, for every incompatible level, the versions
//! reported as breaking. An invalid-schema case has only `new.avsc` and
//! `{"about": "...", "invalid": "substring of the error"}`.
//!
//! Every verdict here was checked against Apache Avro's Java `SchemaCompatibility` (1.12.1) and its
//! Python port; `tests/avro_differential.rs` re-checks them against the Python port on every run.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use schemactl::compat::{self, Level, Options};
use schemactl::schema::Schema;
use serde_json::Value;

const LEVELS: [Level; 6] = [
    Level::Backward,
    Level::BackwardTransitive,
    Level::Forward,
    Level::ForwardTransitive,
    Level::Full,
    Level::FullTransitive,
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/avro")
}

fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/avro exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The registered versions of a case, oldest first, with their version numbers.
fn versions(dir: &Path) -> Vec<(u32, PathBuf)> {
    let mut out: Vec<(u32, PathBuf)> = fs::read_dir(dir)
        .expect("case dir")
        .filter_map(|e| {
            let path = e.expect("entry").path();
            let stem = path.file_stem()?.to_str()?.to_string();
            let n = stem.strip_prefix('v')?.parse().ok()?;
            (path.extension()? == "avsc").then_some((n, path))
        })
        .collect();
    out.sort();
    out
}

fn parse(path: &Path) -> Result<Schema, String> {
    Schema::parse_avro(&path.display().to_string(), &read(path)).map_err(|e| e.to_string())
}

/// Checks one valid case; returns its mismatches as sentences.
fn run_valid(dir: &Path, expect: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let new = match parse(&dir.join("new.avsc")) {
        Ok(s) => s,
        Err(e) => return vec![format!("new.avsc does not parse: {e}")],
    };
    let mut old = Vec::new();
    for (n, path) in versions(dir) {
        match parse(&path) {
            Ok(s) => old.push((n, s)),
            Err(e) => return vec![format!("v{n}.avsc does not parse: {e}")],
        }
    }
    if old.is_empty() {
        return vec!["no v1.avsc".into()];
    }
    let previous: Vec<(u32, &Schema)> = old.iter().map(|(n, s)| (*n, s)).collect();
    let none = compat::check(&new, &previous, Level::None, &Options::default()).expect("avro");
    if !none.compatible {
        problems.push("NONE must accept everything".into());
    }
    for level in LEVELS {
        let Some(expected) = expect.get(level.as_str()).and_then(Value::as_bool) else {
            problems.push(format!("expect.json lacks a boolean {level}"));
            continue;
        };
        let report = compat::check(&new, &previous, level, &Options::default()).expect("avro");
        let verdict =
            compat::is_compatible(&new, &previous, level, &Options::default()).expect("avro");
        if verdict != report.compatible {
            problems.push(format!(
                "{level}: the verdict-only check says {verdict}, the report {}",
                report.compatible
            ));
        }
        if report.compatible != expected {
            let found: Vec<String> = report
                .messages
                .iter()
                .map(|m| format!("{} at {} (v{})", m.kind, m.path, m.version))
                .collect();
            problems.push(format!(
                "{level}: expected compatible={expected}, got {} {found:?}",
                report.compatible
            ));
            continue;
        }
        let kinds: BTreeSet<&str> = report.messages.iter().map(|m| m.kind).collect();
        let broken: BTreeSet<u32> = report.messages.iter().map(|m| m.version).collect();
        let listed = |key: &str| expect.get(key).and_then(|k| k.get(level.as_str()));
        match (expected, listed("kinds")) {
            (true, Some(_)) => {
                problems.push(format!("{level}: kinds listed for a compatible level"))
            }
            (false, None) => problems.push(format!("{level}: incompatible but no kinds listed")),
            (false, Some(want)) => {
                let want: BTreeSet<&str> = want
                    .as_array()
                    .expect("kinds are arrays")
                    .iter()
                    .map(|k| k.as_str().expect("kinds are strings"))
                    .collect();
                if want != kinds {
                    problems.push(format!("{level}: kinds {kinds:?}, expected {want:?}"));
                }
            }
            (true, None) => {}
        }
        if let (false, Some(want)) = (expected, listed("versions")) {
            let want: BTreeSet<u32> = want
                .as_array()
                .expect("versions are arrays")
                .iter()
                .map(|v| v.as_u64().expect("versions are numbers") as u32)
                .collect();
            if want != broken {
                problems.push(format!(
                    "{level}: breaks versions {broken:?}, expected {want:?}"
                ));
            }
        }
    }
    problems
}

fn run_invalid(dir: &Path, needle: &str) -> Vec<String> {
    match parse(&dir.join("new.avsc")) {
        Ok(_) => vec![format!("accepted; expected an error containing {needle:?}")],
        Err(e) if e.contains(needle) => Vec::new(),
        Err(e) => vec![format!("error {e:?} does not contain {needle:?}")],
    }
}

#[test]
fn every_fixture_case_gets_its_expected_verdicts() {
    let mut failures = BTreeMap::new();
    let dirs = case_dirs();
    for dir in &dirs {
        let expect: Value = serde_json::from_str(&read(&dir.join("expect.json")))
            .unwrap_or_else(|e| panic!("{}/expect.json: {e}", dir.display()));
        let problems = match expect.get("invalid").and_then(Value::as_str) {
            Some(needle) => run_invalid(dir, needle),
            None => run_valid(dir, &expect),
        };
        if !problems.is_empty() {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            failures.insert(name, problems);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        dirs.len(),
        failures
            .iter()
            .map(|(name, p)| format!("  {name}:\n    {}", p.join("\n    ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_table_is_large_and_covers_every_rule_and_level() {
    let mut valid = 0;
    let mut invalid = 0;
    let mut kinds = BTreeSet::new();
    let mut outcomes = BTreeSet::new();
    for dir in case_dirs() {
        let expect: Value = serde_json::from_str(&read(&dir.join("expect.json"))).expect("json");
        if expect.get("invalid").is_some() {
            invalid += 1;
            continue;
        }
        valid += 1;
        for level in LEVELS {
            outcomes.insert((level.as_str(), expect[level.as_str()].as_bool()));
        }
        if let Some(Value::Object(by_level)) = expect.get("kinds") {
            for list in by_level.values() {
                for k in list.as_array().expect("array") {
                    kinds.insert(k.as_str().expect("string").to_string());
                }
            }
        }
    }
    assert!(valid + invalid >= 150, "only {} cases", valid + invalid);
    assert!(invalid >= 15, "only {invalid} invalid-schema cases");
    for rule in schemactl::compat::avro::rules::ALL {
        assert!(kinds.contains(rule.id), "no case expects {}", rule.id);
    }
    for level in LEVELS {
        for verdict in [true, false] {
            assert!(
                outcomes.contains(&(level.as_str(), Some(verdict))),
                "no case where {level} is {verdict}"
            );
        }
    }
}
