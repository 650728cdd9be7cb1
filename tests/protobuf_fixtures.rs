//! The Protobuf fixture cases (`tests/fixtures/protobuf/cases`): each before/after pair is checked
//! for the exact breaking kinds per direction and rule set, the verdict per level (plain and
//! transitive), the compatible kinds listed with `--verbose`, and the paths of findings.

#[path = "fixtures/protobuf/case.rs"]
mod case;

use std::collections::BTreeSet;

use schemactl::compat::protobuf::rules;
use schemactl::compat::{self, Direction, Level, Options, RuleSet};
use schemactl::schema::{self, Schema};

fn load(dir: &std::path::Path, side: &str) -> Schema {
    let path = dir.join(side).join("schema.proto");
    schema::load_file(&path, None, &[]).unwrap_or_else(|e| panic!("{e}"))
}

fn findings(
    new: &Schema,
    old: &Schema,
    d: Direction,
    rules: RuleSet,
    verbose: bool,
) -> Vec<compat::Finding> {
    compat::check_pair(new, old, d, &Options { rules, verbose }).unwrap()
}

fn breaking(f: &[compat::Finding]) -> BTreeSet<String> {
    f.iter()
        .filter(|f| f.breaking)
        .map(|f| f.kind.to_string())
        .collect()
}

/// Kinds only the stricter sets report.
fn stricter(f: &[compat::Finding]) -> BTreeSet<String> {
    f.iter()
        .filter(|f| !rules::by_id(f.kind).unwrap().applies(RuleSet::Confluent))
        .map(|f| f.kind.to_string())
        .collect()
}

#[test]
fn there_are_at_least_one_hundred_cases() {
    assert!(case::load_all().len() >= 100);
}

#[test]
fn every_fixture_case_gives_its_expected_findings_and_verdicts() {
    let mut failures = Vec::new();
    for c in case::load_all() {
        let dir = tempfile::tempdir().unwrap();
        c.write_to(dir.path());
        let (old, new) = (load(dir.path(), "old"), load(dir.path(), "new"));
        macro_rules! fail {
            ($what:expr, $got:expr, $want:expr $(,)?) => {{
                let (got, want): (String, String) = ($got, $want);
                if got != want {
                    failures.push(format!("{}: {}: got {got}, want {want}", c.name, $what));
                }
            }};
        }
        let b = findings(&new, &old, Direction::Backward, RuleSet::Confluent, false);
        let f = findings(&new, &old, Direction::Forward, RuleSet::Confluent, false);
        fail!(
            "backward",
            format!("{:?}", breaking(&b)),
            format!("{:?}", c.backward),
        );
        fail!(
            "forward",
            format!("{:?}", breaking(&f)),
            format!("{:?}", c.forward),
        );
        assert!(
            b.iter().chain(&f).all(|x| x.breaking),
            "{}: listed a compatible change without --verbose",
            c.name
        );

        for (set, want) in [(RuleSet::Wire, &c.wire), (RuleSet::WireJson, &c.wire_json)] {
            for d in [Direction::Backward, Direction::Forward] {
                let got = findings(&new, &old, d, set, false);
                fail!(
                    &format!("{set:?} {d:?}"),
                    format!("{:?}", stricter(&got)),
                    format!("{want:?}"),
                );
                // The stricter sets keep every verdict of Confluent's.
                let confluent = if d == Direction::Backward {
                    &c.backward
                } else {
                    &c.forward
                };
                if !breaking(&got).is_superset(confluent) {
                    failures.push(format!(
                        "{}: {set:?} {d:?} drops a Confluent finding",
                        c.name
                    ));
                }
            }
        }

        let verbose = findings(&new, &old, Direction::Backward, RuleSet::Confluent, true);
        let listed: BTreeSet<String> = verbose
            .iter()
            .filter(|f| !f.breaking)
            .map(|f| f.kind.to_string())
            .collect();
        if !listed.is_superset(&c.verbose) {
            failures.push(format!(
                "{}: verbose lists {listed:?}, want at least {:?}",
                c.name, c.verbose
            ));
        }
        for (kind, path) in &c.at {
            if !verbose.iter().any(|f| f.kind == kind && f.path == *path) {
                let seen: Vec<String> = verbose
                    .iter()
                    .map(|f| format!("{} {}", f.kind, f.path))
                    .collect();
                failures.push(format!("{}: no {kind} at {path}; found {seen:?}", c.name));
            }
        }

        // Verdicts per level, against the old version alone and transitively against [old, new].
        let opts = Options::default();
        for level in [Level::None, Level::Backward, Level::Forward, Level::Full] {
            let want = match level {
                Level::None => true,
                Level::Backward => c.backward.is_empty(),
                Level::Forward => c.forward.is_empty(),
                _ => c.backward.is_empty() && c.forward.is_empty(),
            };
            let got = compat::check(&new, &[(1, &old)], level, &opts)
                .unwrap()
                .compatible;
            fail!(&format!("{level}"), got.to_string(), want.to_string());
            let transitive = match level {
                Level::Backward => Level::BackwardTransitive,
                Level::Forward => Level::ForwardTransitive,
                Level::Full => Level::FullTransitive,
                l => l,
            };
            let got = compat::check(&new, &[(1, &old), (2, &new)], transitive, &opts)
                .unwrap()
                .compatible;
            fail!(&format!("{transitive}"), got.to_string(), want.to_string());
            // Without transitivity only the latest version (the same file) counts.
            let latest = compat::check(&new, &[(1, &old), (2, &new)], level, &opts)
                .unwrap()
                .compatible;
            fail!(
                &format!("{level} latest only"),
                latest.to_string(),
                "true".to_string(),
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every rule of the table has a fixture that triggers it; the same fixtures' other directions
/// and rule sets are the compatible side.
#[test]
fn every_rule_is_exercised_by_a_fixture() {
    let cases = case::load_all();
    let mentioned: BTreeSet<String> = cases
        .iter()
        .flat_map(|c| {
            c.backward
                .iter()
                .chain(&c.forward)
                .chain(&c.wire)
                .chain(&c.wire_json)
                .chain(&c.verbose)
                .cloned()
                .chain(c.at.iter().map(|(k, _)| k.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let missing: Vec<&str> = rules::ALL
        .iter()
        .map(|r| r.id)
        .filter(|id| !mentioned.contains(*id))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
    // And every rule that breaks has a case where it does not fire although its subject changed:
    // the compatible side (e.g. int32 → int64 for FIELD_SCALAR_KIND_CHANGED).
    for r in rules::ALL.iter().filter(|r| r.breaking) {
        assert!(
            cases
                .iter()
                .any(|c| !c.backward.contains(r.id) && !c.wire_json.contains(r.id)),
            "{}",
            r.id
        );
    }
}
