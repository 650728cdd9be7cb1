//! End-to-end tests of `schemactl compat` on Avro files: exit codes and snapshot-tested reports.

use assert_cmd::Command;

fn schemactl() -> Command {
    let mut cmd = Command::cargo_bin("schemactl").expect("the binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Runs schemactl and returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = schemactl().args(args).output().expect("schemactl runs");
    (
        out.status.code().expect("exited normally"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// Runs `schemactl compat new --against a [--against b …] options…`.
fn compat(new: &str, against: &[&str], options: &[&str]) -> (i32, String, String) {
    let mut args = vec!["compat", new];
    for old in against {
        args.extend(["--against", old]);
    }
    args.extend(options);
    run(&args)
}

#[test]
fn compatible_evolution_passes_full() {
    let (code, stdout, stderr) = compat(
        "schemas/user-v2-compatible.avsc",
        &["schemas/user.avsc"],
        &["--level", "full"],
    );
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn breaking_change_is_reported_with_places_and_fixes() {
    let (code, stdout, _) = compat(
        "schemas/user-v2-breaking.avsc",
        &["schemas/user.avsc"],
        &["--level", "FULL"],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn json_report_is_one_object() {
    let (code, stdout, _) = compat(
        "schemas/user-v2-breaking.avsc",
        &["schemas/user.avsc"],
        &["--format", "json"],
    );
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(value["compatible"], false);
    assert_eq!(value["level"], "BACKWARD");
    insta::assert_json_snapshot!(value);
}

#[test]
fn transitive_reports_every_breaking_version() {
    // The latest version (user.avsc) accepts the change; the oldest one does not.
    let args = [
        "compat",
        "schemas/user-v2-compatible.avsc",
        "--against",
        "tests/fixtures/cli/user-v0.avsc",
        "--against",
        "schemas/user.avsc",
        "--format",
        "json",
    ];
    let (code, _, _) = run(&args);
    assert_eq!(code, 0, "BACKWARD compares with the latest only");
    let mut transitive = args.to_vec();
    transitive.extend(["--level", "backward_transitive"]);
    let (code, stdout, _) = run(&transitive);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let versions: Vec<u64> = value["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["version"].as_u64().unwrap())
        .collect();
    assert!(
        versions.iter().all(|&v| v == 1),
        "only v1 breaks: {versions:?}"
    );
    assert!(!versions.is_empty());
}

#[test]
fn full_transitive_human_report() {
    let (code, stdout, _) = compat(
        "schemas/user-v2-breaking.avsc",
        &["tests/fixtures/cli/user-v0.avsc", "schemas/user.avsc"],
        &["--level", "full_transitive"],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout);
}

#[test]
fn level_none_accepts_anything() {
    let (code, stdout, _) = compat(
        "schemas/user-v2-breaking.avsc",
        &["schemas/user.avsc"],
        &["--level", "NONE"],
    );
    assert_eq!(code, 0);
    assert!(stdout.starts_with("ok:"), "{stdout}");
}

#[test]
fn invalid_json_is_exit_2_with_file_line_and_column() {
    let (code, stdout, stderr) = compat(
        "tests/fixtures/cli/invalid-json.avsc",
        &["schemas/user.avsc"],
        &[],
    );
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    insta::assert_snapshot!(stderr);
}

#[test]
fn unknown_type_is_exit_2_naming_the_line() {
    let (code, _, stderr) = compat(
        "schemas/user.avsc",
        &["tests/fixtures/cli/unknown-type.avsc"],
        &[],
    );
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr);
}

#[test]
fn default_of_the_wrong_type_is_exit_2() {
    let (code, _, stderr) = compat(
        "tests/fixtures/cli/bad-default.avsc",
        &["schemas/user.avsc"],
        &[],
    );
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr);
}

#[test]
fn missing_file_is_exit_2() {
    let (code, _, stderr) = compat("nope.avsc", &["schemas/user.avsc"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nope.avsc: cannot read"), "{stderr}");
}

#[test]
fn unknown_level_is_exit_2() {
    let (code, _, stderr) = compat(
        "schemas/user.avsc",
        &["schemas/user.avsc"],
        &["--level", "sideways"],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown compatibility level 'sideways'"),
        "{stderr}"
    );
}

#[test]
fn unknown_extension_needs_type() {
    let (code, _, stderr) = compat("README.md", &["schemas/user.avsc"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--type"), "{stderr}");
}
