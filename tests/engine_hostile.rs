//! Hostile input for the engines (issue 11): deep nesting, long chains of named types, huge
//! enums and unions, and seeded random schemas and mutations. Each test asserts behaviour (a
//! verdict, a typed error, no crash) and sizes, never time; checks run on threads with a small
//! stack so that recursion over user input would overflow here rather than in production.

mod hostile;

use std::path::Path;

use assert_cmd::Command;
use schemactl::compat::{self, Level, Options, Report, RuleSet};
use schemactl::schema::{LoadError, Parsed, Schema};

/// A stack smaller than the 2 MiB a Rust thread (or a tokio worker) gets by default.
const SMALL_STACK: usize = 1 << 20;

/// Runs `f` on a thread with [`SMALL_STACK`]; a stack overflow aborts the test binary.
fn on_small_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(SMALL_STACK)
            .spawn_scoped(s, f)
            .expect("a thread starts")
            .join()
            .expect("no panic")
    })
}

fn avro(text: &str) -> Schema {
    Schema::parse_avro("test.avsc", text).expect("valid Avro")
}

fn avro_with_refs(refs: &[(String, String)], root: &str) -> Schema {
    let refs: Vec<(&str, &str)> = refs.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    Schema::parse_avro_with_references("root.avsc", root, &refs).expect("valid Avro")
}

fn check(new: &Schema, old: &Schema, level: Level) -> Report {
    on_small_stack(|| {
        compat::check(new, &[(1, old)], level, &Options::default()).expect("same type")
    })
}

fn verdict(new: &Schema, old: &Schema, level: Level) -> bool {
    on_small_stack(|| {
        compat::is_compatible(new, &[(1, old)], level, &Options::default()).expect("same type")
    })
}

// --- Avro parsing ---

#[test]
fn avro_arrays_nested_100k_deep_are_a_parse_error_not_a_crash() {
    let text = hostile::avro_nested_arrays(100_000);
    let err = on_small_stack(|| Schema::parse_avro("deep.avsc", &text).map(|_| ()))
        .expect_err("too deep");
    let LoadError::Invalid { message, .. } = &err else {
        panic!("{err}")
    };
    assert!(message.contains("recursion limit"), "{message}");
}

#[test]
fn avro_arrays_nested_as_deep_as_json_allows_get_a_verdict_and_canonical_form() {
    // serde_json's limit is 128 levels of JSON; each array level is one.
    let text = hostile::avro_nested_arrays(120);
    let (form, compatible) = on_small_stack(|| {
        let s = avro(&text);
        let ok = compat::is_compatible(&s, &[(1, &s)], Level::Full, &Options::default());
        (canonical(&s), ok.expect("same type"))
    });
    assert!(compatible);
    assert_eq!(form.matches("\"array\"").count(), 120);
}

/// The Avro Parsing Canonical Form of `s`.
fn canonical(s: &Schema) -> String {
    match &s.parsed {
        Parsed::Avro(a) => a.canonical_form(),
        Parsed::Protobuf(_) | Parsed::Json(_) => panic!("an Avro schema"),
    }
}

#[test]
fn avro_enum_of_100k_symbols_parses_and_rejects_a_late_duplicate() {
    let text = hostile::avro_enum("Big", 100_000);
    let s = avro(&text);
    let Parsed::Avro(a) = &s.parsed else {
        unreachable!()
    };
    let schemactl::schema::avro::Node::Enum(e) = a.node(a.root()) else {
        panic!("an enum")
    };
    assert_eq!(e.symbols.len(), 100_000);

    let dup = text.replacen("]}", ",\"S5\"]}", 1);
    let err = Schema::parse_avro("dup.avsc", &dup)
        .map(|_| ())
        .unwrap_err();
    assert!(
        err.to_string().contains("duplicate enum symbol 'S5'"),
        "{err}"
    );
}

#[test]
fn avro_enum_of_100k_symbols_reports_one_missing_symbol() {
    let old = avro(&hostile::avro_enum("Big", 100_000));
    let new = avro(&hostile::avro_enum("Big", 99_999));
    let report = check(&new, &old, Level::Backward);
    assert!(!report.compatible);
    assert_eq!(report.messages.len(), 1);
    assert_eq!(report.messages[0].kind, "MISSING_ENUM_SYMBOLS");
    assert!(report.messages[0].message.contains("S99999"));
}

// --- Avro unions and chains (issue 11, point 2) ---

#[test]
fn avro_union_of_1000_chained_records_against_itself_is_compatible() {
    // Was cubic: 300 records took 5 s and 1.6 GB, 1,000 ran out of memory.
    let s = avro(&hostile::avro_union_chain(1_000, "int"));
    let report = check(&s, &s, Level::FullTransitive);
    assert!(report.compatible, "{:?}", report.messages.first());
    assert!(report.messages.is_empty());
    assert!(verdict(&s, &s, Level::Full));
}

#[test]
fn avro_union_of_1000_chained_records_with_a_changed_tail_is_reported_at_the_union() {
    let old = avro(&hostile::avro_union_chain(1_000, "int"));
    let new = avro(&hostile::avro_union_chain(1_000, "string"));
    let report = check(&new, &old, Level::Backward);
    assert!(!report.compatible);
    assert!(!verdict(&new, &old, Level::Backward));
    // Each writer branch reaches the changed tail through the chain: one finding per branch,
    // none of them repeated, not one per pair of branches.
    assert_eq!(report.messages.len(), 1_000);
    assert!(report
        .messages
        .iter()
        .all(|m| m.kind == "MISSING_UNION_BRANCH"));
}

#[test]
fn avro_records_chained_as_fields_match_the_union_verdicts() {
    let old = avro(&hostile::avro_field_chain(1_000, "int"));
    assert!(check(&old, &old, Level::Full).compatible);
    let new = avro(&hostile::avro_field_chain(1_000, "string"));
    let report = check(&new, &old, Level::Backward);
    assert!(!report.compatible);
    // Found once where the walk first meets the changed record, not again per chain link.
    assert_eq!(report.messages.len(), 1, "{:#?}", report.messages);
    assert_eq!(report.messages[0].kind, "TYPE_MISMATCH");
}

#[test]
fn avro_chain_of_5000_referenced_records_gets_a_verdict_on_a_small_stack() {
    // The walk follows the chain 5,000 records deep: a recursive walk overflows here.
    let (refs, root) = hostile::avro_reference_chain(5_000, 1, "int");
    let old = avro_with_refs(&refs, &root);
    let report = check(&old, &old, Level::Full);
    assert!(report.compatible);

    let (refs, root) = hostile::avro_reference_chain(5_000, 1, "string");
    let new = avro_with_refs(&refs, &root);
    let report = check(&new, &old, Level::Backward);
    assert!(!report.compatible);
    assert_eq!(report.messages.len(), 1);
    let path = &report.messages[0].path;
    assert_eq!(
        path.matches("/fields/0/type").count(),
        5_002,
        "{}",
        &path[..80]
    );
    assert!(!verdict(&new, &old, Level::Backward));
}

#[test]
fn avro_canonical_form_of_a_deep_reference_chain_is_built_on_a_small_stack() {
    let (refs, root) = hostile::avro_reference_chain(5_000, 1, "int");
    let s = avro_with_refs(&refs, &root);
    let (form, fingerprint) = on_small_stack(|| {
        let Parsed::Avro(a) = &s.parsed else {
            unreachable!()
        };
        (a.canonical_form(), a.fingerprint())
    });
    assert_eq!(form.matches("\"record\"").count(), 5_002);
    assert!(form.starts_with(
        r#"{"name":"Root","type":"record","fields":[{"name":"head","type":{"name":"C5000""#
    ));
    assert_ne!(fingerprint, 0);
}

#[test]
fn avro_types_whose_paths_double_at_each_level_cost_linear_findings() {
    // Each record has two fields of the next type: 2^40 paths through 40 records. A memo
    // that replays findings where a pair is met again grows exponentially here.
    let (refs, root) = hostile::avro_reference_chain(40, 2, "int");
    let old = avro_with_refs(&refs, &root);
    let (refs, root) = hostile::avro_reference_chain(40, 2, "string");
    let new = avro_with_refs(&refs, &root);
    let report = check(&new, &old, Level::Full);
    assert!(!report.compatible);
    // Each direction reports the innermost record's two changed fields once, where the walk
    // first meets them: four findings in all.
    assert_eq!(report.messages.len(), 4, "{:#?}", report.messages);
}

// --- Protobuf (issue 11, point 1) ---

fn proto_pair(n: usize, old_last: &str, new_last: &str) -> (Schema, Schema) {
    let a = hostile::proto_chain(n, old_last);
    let b = hostile::proto_chain(n, new_last);
    let old = Schema::parse_protobuf(
        "old.proto",
        &hostile::proto_root("a.proto"),
        &[("a.proto", &a)],
    )
    .expect("valid proto");
    let new = Schema::parse_protobuf(
        "new.proto",
        &hostile::proto_root("b.proto"),
        &[("b.proto", &b)],
    )
    .expect("valid proto");
    (old, new)
}

#[test]
fn protobuf_chains_of_3000_imported_messages_differing_in_the_last_get_a_verdict() {
    // A 2,000-message chain overflowed a 2 MiB tokio worker's stack through the registry.
    let (old, new) = proto_pair(3_000, "int32 x = 1;", "string x = 1;");
    let report = check(&new, &old, Level::Backward);
    assert!(!report.compatible);
    assert!(!verdict(&new, &old, Level::Backward));
    let kinds: Vec<(&str, &str)> = report
        .messages
        .iter()
        .map(|m| (m.kind, m.path.as_str()))
        .collect();
    // The change itself, then each link of the chain back to the schema's own field.
    assert_eq!(kinds[0], ("FIELD_SCALAR_KIND_CHANGED", "#/C3000/1"));
    assert_eq!(kinds.len(), 3_001);
    assert_eq!(kinds[1], ("FIELD_NAMED_TYPE_CHANGED", "#/C2999/1"));
    assert_eq!(kinds[3_000], ("FIELD_NAMED_TYPE_CHANGED", "#/Root/1"));
}

#[test]
fn protobuf_identical_chains_in_differently_named_files_are_compatible() {
    let (old, new) = proto_pair(3_000, "int32 x = 1;", "int32 x = 1;");
    let report = check(&new, &old, Level::FullTransitive);
    assert!(report.compatible, "{:?}", report.messages.first());
    assert!(verdict(&new, &old, Level::Full));
}

#[test]
fn protobuf_recursive_imported_types_terminate() {
    let cyclic = |name: &str| {
        format!("syntax = \"proto3\";\nmessage Node {{ Node next = 1; Leaf leaf = 2; message Inner {{ Inner self = 1; }} Inner inner = 3; }}\nmessage Leaf {{ {name} x = 1; Node back = 2; }}\n")
    };
    let root = |import: &str| {
        format!("syntax = \"proto3\";\nimport \"{import}\";\nmessage Root {{ Node head = 1; }}\n")
    };
    let (a, b) = (cyclic("int32"), cyclic("string"));
    let old = Schema::parse_protobuf("old.proto", &root("a.proto"), &[("a.proto", &a)]).unwrap();
    let new = Schema::parse_protobuf("new.proto", &root("b.proto"), &[("b.proto", &b)]).unwrap();
    let report = check(&new, &old, Level::Full);
    assert!(!report.compatible);
    let same = check(&old, &old, Level::Full);
    assert!(same.compatible);
}

#[test]
fn protobuf_messages_nest_31_levels_and_deeper_is_bad_input() {
    let ok = Schema::parse_protobuf("nest.proto", &hostile::proto_nested(31), &[]).unwrap();
    let changed = hostile::proto_nested(31).replace("M30 { int32 x", "M30 { string x");
    let new = Schema::parse_protobuf("nest.proto", &changed, &[]).unwrap();
    assert!(check(&ok, &ok, Level::Full).compatible);
    let report = check(&new, &ok, Level::Backward);
    assert!(!report.compatible);
    assert_eq!(report.messages[0].kind, "FIELD_SCALAR_KIND_CHANGED");

    let err = Schema::parse_protobuf("nest.proto", &hostile::proto_nested(32), &[])
        .map(|_| ())
        .unwrap_err();
    assert!(
        err.to_string().contains("nested at most 31 levels"),
        "{err}"
    );
}

#[test]
fn protobuf_reservations_up_to_max_are_compared_without_enumerating_numbers() {
    let text = hostile::proto_wide_reservations(10_000);
    let s = Schema::parse_protobuf("wide.proto", &text, &[]).unwrap();
    let options = Options {
        rules: RuleSet::WireJson,
        verbose: true,
    };
    let report = on_small_stack(|| compat::check(&s, &[(1, &s)], Level::Full, &options).unwrap());
    assert!(report.compatible);
    let fewer = text.replace("reserved 2 to max;", "reserved 3 to max;");
    let new = Schema::parse_protobuf("wide.proto", &fewer, &[]).unwrap();
    let report =
        on_small_stack(|| compat::check(&new, &[(1, &s)], Level::Backward, &options).unwrap());
    assert!(report
        .messages
        .iter()
        .any(|m| m.kind == "RESERVED_MESSAGE_NO_DELETE"));
}

// --- CLI: exit codes and human output (issue 11, points 1 and 5) ---

fn schemactl(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("schemactl")
        .expect("the binary is built")
        .current_dir(dir)
        .arg("compat")
        .args(args)
        .output()
        .expect("schemactl runs");
    (
        out.status.code().expect("exited normally, not by a signal"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn cli_compat_of_6500_message_chains_in_differently_named_files_exits_0() {
    // Aborted with exit 134 (stack overflow) even though the chains are identical.
    let dir = tempfile::tempdir().unwrap();
    let chain = hostile::proto_chain(6_500, "int32 x = 1;");
    std::fs::write(dir.path().join("a.proto"), &chain).unwrap();
    std::fs::write(dir.path().join("b.proto"), &chain).unwrap();
    std::fs::write(dir.path().join("old.proto"), hostile::proto_root("a.proto")).unwrap();
    std::fs::write(dir.path().join("new.proto"), hostile::proto_root("b.proto")).unwrap();
    let (code, stdout, stderr) = schemactl(
        dir.path(),
        &["new.proto", "--against", "old.proto", "--level", "FULL"],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn cli_deeply_nested_avro_is_bad_input_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("deep.avsc"),
        hostile::avro_nested_arrays(100_000),
    )
    .unwrap();
    std::fs::write(dir.path().join("ok.avsc"), "\"int\"").unwrap();
    let (code, _, stderr) = schemactl(dir.path(), &["deep.avsc", "--against", "ok.avsc"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("recursion limit"), "{stderr}");
}

#[test]
fn cli_human_report_of_5000_added_messages_locates_each_one() {
    // Each finding's line used to be found by rescanning the whole file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("old.proto"),
        hostile::proto_many_messages(0, 0),
    )
    .unwrap();
    let new = hostile::proto_many_messages(5_000, 3);
    std::fs::write(dir.path().join("new.proto"), &new).unwrap();
    let (code, stdout, stderr) = schemactl(
        dir.path(),
        &[
            "new.proto",
            "--against",
            "old.proto",
            "--verbose",
            "--level",
            "BACKWARD",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    // `message M4999 {` is the 5,000th added block: 5 lines each after the 6-line header.
    let line = new.lines().position(|l| l == "message M4999 {").unwrap() + 1;
    assert!(
        stdout.contains(&format!("new.proto:{line}:1")),
        "{}",
        &stdout[stdout.len().saturating_sub(600)..]
    );
    assert_eq!(stdout.matches("MESSAGE_ADDED").count(), 5_000);
}

// --- Seeded random input (issue 11, point 7): structure-aware, bounded in size ---

#[test]
fn random_avro_schemas_are_compatible_with_themselves_and_never_crash() {
    for seed in 0..300 {
        let mut rng = hostile::Rng::new(seed);
        let text = hostile::avro_random(&mut rng, 40, 6);
        let s = Schema::parse_avro("random.avsc", &text)
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        let report = check(&s, &s, Level::Full);
        assert!(
            report.compatible,
            "seed {seed}: {:?}\n{text}",
            report.messages
        );
        // The canonical form is a schema with the same canonical form.
        let form = canonical(&s);
        assert_eq!(canonical(&avro(&form)), form, "seed {seed}");
        // Against another random schema: any verdict, the same from both entry points.
        let other = avro(&hostile::avro_random(&mut rng, 40, 6));
        let report = check(&other, &s, Level::Full);
        assert_eq!(
            report.compatible,
            verdict(&other, &s, Level::Full),
            "seed {seed}"
        );
    }
}

#[test]
fn random_proto_files_are_compatible_with_themselves_and_never_crash() {
    for seed in 0..60 {
        let mut rng = hostile::Rng::new(seed);
        let text = hostile::proto_random(&mut rng, 8, 3);
        let s = Schema::parse_protobuf("random.proto", &text, &[])
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        let report = check(&s, &s, Level::Full);
        assert!(report.compatible, "seed {seed}: {:?}", report.messages);
        let other =
            Schema::parse_protobuf("other.proto", &hostile::proto_random(&mut rng, 8, 3), &[])
                .expect("valid proto");
        let report = check(&other, &s, Level::Full);
        assert_eq!(
            report.compatible,
            verdict(&other, &s, Level::Full),
            "seed {seed}"
        );
    }
}

#[test]
fn mutated_schemas_parse_or_fail_with_a_typed_error() {
    let fixtures = [
        hostile::avro_union_chain(20, "int"),
        hostile::avro_field_chain(10, "long"),
        hostile::avro_random(&mut hostile::Rng::new(7), 60, 6),
    ];
    for base in &fixtures {
        let base_schema = avro(base);
        for seed in 0..200 {
            let mut rng = hostile::Rng::new(seed);
            let text = hostile::mutate(&mut rng, base, 1 + seed as usize % 4);
            if let Ok(s) = on_small_stack(|| Schema::parse_avro("m.avsc", &text)) {
                let _ = check(&s, &base_schema, Level::Full);
                let _ = check(&base_schema, &s, Level::Full);
            }
        }
    }
    let proto = hostile::proto_random(&mut hostile::Rng::new(3), 6, 3);
    let base = Schema::parse_protobuf("p.proto", &proto, &[]).unwrap();
    for seed in 0..100 {
        let mut rng = hostile::Rng::new(seed);
        let text = hostile::mutate(&mut rng, &proto, 1 + seed as usize % 4);
        if let Ok(s) = on_small_stack(|| Schema::parse_protobuf("m.proto", &text, &[])) {
            let _ = check(&s, &base, Level::Full);
        }
    }
}

// --- Full-size reproductions: slow in debug builds, run with `--release -- --ignored` ---

#[test]
#[ignore = "full-size reproduction; run in release"]
fn full_size_avro_union_of_5000_chained_records() {
    let s = avro(&hostile::avro_union_chain(5_000, "int"));
    assert!(check(&s, &s, Level::Full).compatible);
}

#[test]
#[ignore = "full-size reproduction; run in release"]
fn full_size_protobuf_chain_of_20000_imported_messages() {
    let (old, new) = proto_pair(20_000, "int32 x = 1;", "string x = 1;");
    assert!(!check(&new, &old, Level::Backward).compatible);
}
