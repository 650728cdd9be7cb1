//! End-to-end tests of `schemactl compat` on `.proto` files: exit codes and snapshot-tested
//! reports (human and JSON), `--verbose`, `--rules`, imports through `-I`, and parse errors.

use assert_cmd::Command;

const DIR: &str = "tests/fixtures/protobuf/cli";

fn run(args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("schemactl").expect("the binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    let out = cmd
        .arg("compat")
        .args(args)
        .output()
        .expect("schemactl runs");
    (
        out.status.code().expect("exited normally"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn file(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn include() -> String {
    format!("{DIR}/include")
}

#[test]
fn compatible_evolution_passes_full_transitive() {
    let (code, stdout, stderr) = run(&[
        &file("order-v2-compatible.proto"),
        "--against",
        &file("order-v1.proto"),
        "-I",
        &include(),
        "--level",
        "FULL_TRANSITIVE",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn breaking_change_is_reported_with_confluent_types_and_fixes() {
    let (code, stdout, stderr) = run(&[
        &file("order-v2-breaking.proto"),
        "--against",
        &file("order-v1.proto"),
        "-I",
        &include(),
        "--level",
        "full",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("FIELD_SCALAR_KIND_CHANGED"), "{stdout}");
    assert!(stdout.contains("The kind of a SCALAR field at path '#/Order/2' in the new schema does not match its kind in the old schema"), "{stdout}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn json_report_is_one_object() {
    let (code, stdout, _) = run(&[
        &file("order-v2-breaking.proto"),
        "--against",
        &file("order-v1.proto"),
        "-I",
        &include(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(value["compatible"], false);
    insta::assert_json_snapshot!(value);
}

#[test]
fn verbose_lists_compatible_changes() {
    let (code, stdout, _) = run(&[
        &file("order-v2-compatible.proto"),
        "--against",
        &file("order-v1.proto"),
        "-I",
        &include(),
        "--verbose",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("change[FIELD_ADDED] at #/Order/8"),
        "{stdout}"
    );
    insta::assert_snapshot!(stdout);
}

#[test]
fn wire_rules_catch_a_deletion_confluent_accepts() {
    let args = [
        file("order-v2-removed.proto"),
        "--against".into(),
        file("order-v1.proto"),
        "-I".into(),
        include(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, _) = run(&args);
    assert_eq!(code, 0, "Confluent accepts a deleted field");
    let mut wire = args.clone();
    wire.extend(["--rules", "wire"]);
    let (code, stdout, _) = run(&wire);
    assert_eq!(code, 1);
    insta::assert_snapshot!("wire", stdout);
    let mut json = args.clone();
    json.extend(["--rules", "wire-json"]);
    let (code, stdout, _) = run(&json);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("FIELD_NO_DELETE_UNLESS_NAME_RESERVED"),
        "{stdout}"
    );
}

#[test]
fn an_import_needs_its_include_directory() {
    let (code, _, stderr) = run(&[
        &file("order-v2-compatible.proto"),
        "--against",
        &file("order-v1.proto"),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("order-v2-compatible.proto:4:1"), "{stderr}");
    assert!(stderr.contains("common/money.proto"), "{stderr}");
}

#[test]
fn syntax_error_is_exit_2_with_file_line_and_column() {
    let (code, stdout, stderr) = run(&[
        &file("bad-syntax.proto"),
        "--against",
        &file("order-v1.proto"),
        "-I",
        &include(),
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    insta::assert_snapshot!(stderr);
}

#[test]
fn unknown_type_is_exit_2_naming_the_line() {
    let (code, _, stderr) = run(&[
        &file("unknown-type.proto"),
        "--against",
        &file("order-v1.proto"),
        "-I",
        &include(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown-type.proto:6:"), "{stderr}");
    assert!(stderr.contains("Money"), "{stderr}");
}
