//! The JSON Schema fixture cases (`tests/fixtures/json/cases/*.case`), written from Confluent's
//! documentation and the behaviour of its JSON Schema diff. Each case is a before/after pair:
//!
//! ```text
//! # what the case shows
//! backward: ok | KIND ...          breaking kinds, strict policy, new read against old
//! forward: ok | KIND ...           breaking kinds, strict policy, the other way round
//! lenient-backward: ok | KIND ...  the same under the lenient policy (default: as strict)
//! lenient-forward: ok | KIND ...
//! changes: KIND ...                compatible kinds BACKWARD lists (at least these)
//! at: KIND #/path                  a BACKWARD finding at exactly this path
//! === old                          then the old schema, the new one, and references:
//! === new
//! === ref NAME                     (both sides), or `=== old-ref NAME` / `=== new-ref NAME`
//! ```
//!
//! The verdict per level follows: BACKWARD(_TRANSITIVE) from `backward`, FORWARD(_TRANSITIVE)
//! from `forward`, FULL(_TRANSITIVE) from both, NONE always compatible.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use schemactl::compat::json::{check_direction, JsonPolicy};
use schemactl::compat::{Direction, Finding, Level};
use schemactl::schema::json::{parse_with_references, JsonSchema};

#[derive(Default)]
struct Case {
    name: String,
    backward: BTreeSet<String>,
    forward: BTreeSet<String>,
    lenient_backward: Option<BTreeSet<String>>,
    lenient_forward: Option<BTreeSet<String>>,
    changes: BTreeSet<String>,
    at: Vec<(String, String)>,
    old: String,
    new: String,
    refs: Vec<(String, String)>,
    old_refs: Vec<(String, String)>,
    new_refs: Vec<(String, String)>,
}

fn kinds(v: &str) -> BTreeSet<String> {
    if v.trim() == "ok" {
        return BTreeSet::new();
    }
    v.split_whitespace().map(str::to_string).collect()
}

fn parse_case(path: &Path) -> Case {
    let text = std::fs::read_to_string(path).unwrap();
    let mut case = Case {
        name: path.file_stem().unwrap().to_string_lossy().into(),
        ..Case::default()
    };
    let mut section: Option<(String, String)> = None;
    let mut sections = Vec::new();
    for line in text.lines() {
        if let Some(head) = line.strip_prefix("=== ") {
            sections.extend(section.take());
            section = Some((head.trim().to_string(), String::new()));
            continue;
        }
        if let Some((_, body)) = section.as_mut() {
            body.push_str(line);
            body.push('\n');
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        match key.trim() {
            "backward" => case.backward = kinds(value),
            "forward" => case.forward = kinds(value),
            "lenient-backward" => case.lenient_backward = Some(kinds(value)),
            "lenient-forward" => case.lenient_forward = Some(kinds(value)),
            "changes" => case.changes = kinds(value),
            "at" => {
                let (kind, path) = value.trim().split_once(' ').unwrap();
                case.at.push((kind.to_string(), path.trim().to_string()));
            }
            _ => {}
        }
    }
    sections.extend(section.take());
    for (head, body) in sections {
        let (what, name) = head.split_once(' ').unwrap_or((head.as_str(), ""));
        let entry = (name.to_string(), body);
        match what {
            "old" => case.old = entry.1,
            "new" => case.new = entry.1,
            "ref" => case.refs.push(entry),
            "old-ref" => case.old_refs.push(entry),
            "new-ref" => case.new_refs.push(entry),
            other => panic!("{}: unknown section {other}", case.name),
        }
    }
    case
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/json/cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    paths.iter().map(|p| parse_case(p)).collect()
}

fn schema(case: &Case, source: &str, text: &str, own: &[(String, String)]) -> JsonSchema {
    let refs: Vec<(&str, &str)> = case
        .refs
        .iter()
        .chain(own)
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    parse_with_references(source, text, &refs).unwrap_or_else(|e| panic!("{}: {e}", case.name))
}

fn breaking(findings: &[Finding]) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| f.breaking)
        .map(|f| f.kind.to_string())
        .collect()
}

#[test]
fn there_are_at_least_two_hundred_cases() {
    assert!(cases().len() >= 200, "{} cases", cases().len());
}

#[test]
fn every_case_gives_its_expected_differences_and_verdicts() {
    let mut failures = Vec::new();
    for case in cases() {
        let old = schema(&case, "old.json", &case.old, &case.old_refs);
        let new = schema(&case, "new.json", &case.new, &case.new_refs);
        let run = |d, p| check_direction(&new, &old, d, p);
        let b = run(Direction::Backward, JsonPolicy::Strict);
        let f = run(Direction::Forward, JsonPolicy::Strict);
        let lb = run(Direction::Backward, JsonPolicy::Lenient);
        let lf = run(Direction::Forward, JsonPolicy::Lenient);
        let mut expect = |what: &str, got: BTreeSet<String>, want: &BTreeSet<String>| {
            if &got != want {
                failures.push(format!("{}: {what}: got {got:?}, want {want:?}", case.name));
            }
        };
        expect("backward", breaking(&b), &case.backward);
        expect("forward", breaking(&f), &case.forward);
        expect(
            "lenient-backward",
            breaking(&lb),
            case.lenient_backward.as_ref().unwrap_or(&case.backward),
        );
        expect(
            "lenient-forward",
            breaking(&lf),
            case.lenient_forward.as_ref().unwrap_or(&case.forward),
        );
        let listed: BTreeSet<String> = b.iter().map(|f| f.kind.to_string()).collect();
        for kind in &case.changes {
            if !listed.contains(kind) {
                failures.push(format!("{}: {kind} not listed (got {listed:?})", case.name));
            }
        }
        for (kind, path) in &case.at {
            if !b.iter().any(|f| f.kind == kind && &f.path == path) {
                let got: Vec<_> = b.iter().map(|f| (f.kind, f.path.as_str())).collect();
                failures.push(format!("{}: no {kind} at {path} (got {got:?})", case.name));
            }
        }
        // Verdicts per level, as a registry derives them from the two directions.
        for level in [
            Level::Backward,
            Level::BackwardTransitive,
            Level::Forward,
            Level::ForwardTransitive,
            Level::Full,
            Level::FullTransitive,
            Level::None,
        ] {
            let compatible = level.directions().iter().all(|d| match d {
                Direction::Backward => case.backward.is_empty(),
                Direction::Forward => case.forward.is_empty(),
            });
            let got = level
                .directions()
                .iter()
                .all(|&d| run(d, JsonPolicy::Strict).iter().all(|f| !f.breaking));
            if got != compatible {
                failures.push(format!(
                    "{}: {level:?}: got {got}, want {compatible}",
                    case.name
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_finding_has_a_message_and_a_hint() {
    for case in cases() {
        let old = schema(&case, "old.json", &case.old, &case.old_refs);
        let new = schema(&case, "new.json", &case.new, &case.new_refs);
        for d in [Direction::Backward, Direction::Forward] {
            for f in check_direction(&new, &old, d, JsonPolicy::Strict) {
                assert!(f.path.starts_with("#/"), "{}: {f:?}", case.name);
                assert!(
                    !f.message.is_empty() && !f.hint.is_empty(),
                    "{}: {f:?}",
                    case.name
                );
            }
        }
    }
}
