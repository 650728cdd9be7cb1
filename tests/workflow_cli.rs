//! End-to-end tests of the project workflow: `register` → evolve → `check` → `register` again,
//! against the embedded store and against `schemactl registry serve` on a loopback port.

mod cli_support;

use cli_support::{run_in, serve, Project};

use std::path::Path;

use assert_cmd::Command;

const USER_V1: &str = r#"{
  "type": "record",
  "name": "User",
  "namespace": "com.example",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "name", "type": "string"},
    {"name": "address", "type": ["null", "com.example.common.Address"], "default": null}
  ]
}
"#;

const ADDRESS: &str = r#"{
  "type": "record",
  "name": "Address",
  "namespace": "com.example.common",
  "fields": [
    {"name": "street", "type": "string"},
    {"name": "city", "type": "string"}
  ]
}
"#;

/// A temporary project: two Avro subjects, the users topic's value referencing `address`.
fn project() -> Project {
    let user = ("user.avsc", USER_V1);
    Project::referencing(
        "users",
        user,
        "com.example.common.Address",
        ("address.avsc", ADDRESS),
    )
}

/// The user schema with a required field added: BACKWARD-incompatible, FORWARD-compatible.
fn user_with_required_email() -> String {
    USER_V1.replace(
        r#"{"name": "name", "type": "string"},"#,
        r#"{"name": "name", "type": "string"},
    {"name": "email", "type": "string"},"#,
    )
}

/// The user schema with an optional field added: compatible both ways.
fn user_with_optional_email() -> String {
    USER_V1.replace(
        r#"{"name": "name", "type": "string"},"#,
        r#"{"name": "name", "type": "string"},
    {"name": "email", "type": ["null", "string"], "default": null},"#,
    )
}

#[test]
fn register_is_idempotent_and_references_go_first() {
    let p = project();
    let stdout = p.register(&[]);
    insta::assert_snapshot!("first_register", stdout);
    let stdout = p.register(&[]);
    insta::assert_snapshot!("second_register", stdout);
    let (_, subjects, _) = p.run(&["subjects"]);
    assert_eq!(subjects, "address\nusers-value\n");
    let (_, shown, _) = p.run(&["show", "users-value", "--json"]);
    let record: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(record["references"][0]["subject"], "address");
    assert_eq!(record["references"][0]["version"], 1);
}

#[test]
fn check_passes_unregistered_subjects_with_a_note() {
    let p = project();
    let (code, stdout, _) = p.run(&["check"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("not registered yet"), "{stdout}");
}

#[test]
fn breaking_change_fails_check_in_every_format() {
    let p = project();
    p.register_then_write("user.avsc", &user_with_required_email());

    let (code, human, _) = p.run(&["check"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("check_human", human);

    let (code, json, _) = p.run(&["check", "--format", "json"]);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("check_json", value);

    let (code, github, _) = p.run(&["check", "--format", "github"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("check_github", github);

    let (code, junit, _) = p.run(&["check", "--format", "junit"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("check_junit", junit);

    // Release refuses it too, says why, and leaves the subject as it was.
    let (code, stdout, _) = p.run(&["register"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("register_refused", stdout);
    assert_eq!(p.run(&["versions", "users-value"]).1, "1\n");
}

#[test]
fn levels_decide_per_subject() {
    let p = project();
    p.register_then_write("user.avsc", &user_with_required_email());
    // FORWARD: old readers ignore the new field, so the change passes.
    assert_eq!(p.run(&["config", "set", "users-value", "FORWARD"]).0, 0);
    assert_eq!(p.run(&["config", "get", "users-value"]).1, "FORWARD\n");
    assert_eq!(p.run(&["check"]).0, 0);
    // FULL: it must also be backward compatible, which it is not.
    assert_eq!(p.run(&["config", "set", "users-value", "full"]).0, 0);
    assert_eq!(p.run(&["check"]).0, 1);
    // NONE accepts anything; then register adds version 2.
    assert_eq!(p.run(&["config", "set", "users-value", "NONE"]).0, 0);
    assert_eq!(p.run(&["check"]).0, 0);
    p.register(&[]);
    assert_eq!(p.run(&["versions", "users-value"]).1, "1\n2\n");
}

#[test]
fn transitive_levels_report_every_breaking_version() {
    let p = project();
    p.register_then_write("user.avsc", &user_with_optional_email());
    assert_eq!(p.run(&["register"]).0, 0);
    // Version 3 drops `name`, which versions 1 and 2 need... only FORWARD cares; make it
    // FORWARD_TRANSITIVE via the config and expect both versions named.
    let config = p.read("schemactl.toml").replace(
        "schema = \"user.avsc\"",
        "schema = \"user.avsc\"\nlevel = \"FORWARD_TRANSITIVE\"",
    );
    p.write("schemactl.toml", &config);
    p.write(
        "user.avsc",
        &user_with_optional_email().replace(r#"{"name": "name", "type": "string"},"#, ""),
    );
    let (code, json, _) = p.run(&["check", "--format", "json"]);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let users = &value["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subject"] == "users-value")
        .unwrap();
    let mut versions: Vec<u64> = users["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["version"].as_u64().unwrap())
        .collect();
    versions.dedup();
    assert_eq!(versions, [1, 2]);
    assert_eq!(users["level"], "FORWARD_TRANSITIVE");
}

#[test]
fn dry_run_changes_nothing() {
    let p = project();
    let stdout = p.register(&["--dry-run"]);
    assert!(stdout.contains("would register"), "{stdout}");
    assert_eq!(p.run(&["subjects"]).1, "");
}

#[test]
fn pull_and_diff_show_registered_versions() {
    let p = project();
    p.register_then_write("user.avsc", &user_with_optional_email());
    let (code, diff, _) = p.run(&["diff", "users-value"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("diff_local", diff);
    let (code, stdout, _) = p.run(&["pull", "--out", "pulled"]);
    assert_eq!(code, 0, "{stdout}");
    let pulled = std::fs::read_to_string(p.path().join("pulled/users-value/v1.avsc")).unwrap();
    assert!(pulled.contains("\"User\""));
    assert!(
        p.path().join("pulled/address/v1.avsc").exists(),
        "references are pulled too"
    );
    assert!(p
        .path()
        .join("pulled/users-value/v1.references.json")
        .exists());
}

#[test]
fn check_against_a_git_revision_needs_no_registry() {
    let p = project();
    p.commit_to_git("main");
    p.write("user.avsc", &user_with_required_email());
    let (code, stdout, stderr) = p.run(&[
        "check",
        "--against",
        "git:main",
        "--registry",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
        "{stdout}"
    );
    p.write("user.avsc", &user_with_optional_email());
    assert_eq!(p.run(&["check", "--against", "git:main"]).0, 0);
    let (code, _, stderr) = p.run(&["check", "--against", "git:no-such-branch"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown git revision 'no-such-branch'"),
        "{stderr}"
    );
    assert!(
        !p.path().join(".schemactl").exists(),
        "no registry was opened"
    );
}

#[test]
fn bad_configs_are_exit_2_with_the_line() {
    let p = project();
    p.write(
        "schemactl.toml",
        &format!(
            "{}\n[[subject]]\nname = \"x\"\nschema = \"x.avsc\"\nlevel = \"SIDEWAYS\"\n",
            p.read("schemactl.toml")
        ),
    );
    let (code, _, stderr) = p.run(&["check"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("bad_level", stderr);
    p.write(
        "schemactl.toml",
        "[registry]\nurl = \"http://localhost:8081\"\ntoken = \"s3cret\"\n",
    );
    let (code, _, stderr) = p.run(&["check"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("schemactl.toml:3:1: unknown field `token`"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"));
    let (code, _, stderr) = p.run(&["check", "-c", "missing.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("schemactl init"), "{stderr}");
}

#[test]
fn reference_cycles_are_refused() {
    let p = project();
    p.write(
        "schemactl.toml",
        &p.read("schemactl.toml").replace(
            "name = \"address\"\nschema = \"address.avsc\"",
            "name = \"address\"\nschema = \"address.avsc\"\nreferences = [{ name = \"com.example.User\", subject = \"users-value\" }]",
        ),
    );
    let (code, _, stderr) = p.run(&["register"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("references form a cycle"), "{stderr}");
}

#[test]
fn unreachable_registry_is_exit_3_without_credentials() {
    let p = project();
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    let out = Command::cargo_bin("schemactl")
        .unwrap()
        .current_dir(p.path())
        .env("SCHEMA_REGISTRY_URL", "http://127.0.0.1:9")
        .env("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "alice:topsecret")
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("127.0.0.1:9"), "{stderr}");
    assert!(
        !stderr.contains("topsecret") && !stderr.contains("alice"),
        "{stderr}"
    );
}

#[test]
fn init_writes_templates_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::cargo_bin("schemactl")
            .unwrap()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(run(&["init"]).status.code(), Some(0));
    for f in [
        "schemactl.toml",
        "schemas/user.avsc",
        "build.rs",
        ".github/workflows/schemas.yml",
        ".gitlab-ci.yml",
    ] {
        assert!(dir.path().join(f).exists(), "{f}");
    }
    let again = run(&["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(run(&["init", "--force"]).status.code(), Some(0));
    // The starter project (config and example schema) passes the gate.
    let check = run(&["check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{stderr}");
}

#[test]
fn the_workflow_runs_against_a_served_registry() {
    let server = serve();
    let p = project();
    let stdout = p.register(&["--registry", &server.url]);
    insta::assert_snapshot!("first_register", stdout);
    p.write("user.avsc", &user_with_required_email());
    let (code, human, _) = p.run(&["check", "--registry", &server.url]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("check_human", human);
    p.write("user.avsc", &user_with_optional_email());
    assert_eq!(p.run(&["check", "--registry", &server.url]).0, 0);
    let stdout = p.register(&["--registry", &server.url]);
    assert!(stdout.contains("users-value  2"), "{stdout}");
}

#[test]
fn the_shipped_example_project_registers_and_its_evolution_is_refused() {
    // schemas/: Avro with a schema reference and Protobuf with an import, as README runs it.
    let work = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = work.path().join("schemas");
    copy_dir(&repo.join("schemas"), &copy);
    let _ = std::fs::remove_dir_all(copy.join(".schemactl"));
    let run = |args: &[&str]| run_in(work.path(), args);
    let (code, stdout, stderr) = run(&["register", "-c", "schemas/schemactl.toml"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    insta::assert_snapshot!("example_register", stdout);
    let (_, shown, _) = run(&[
        "show",
        "orders-value",
        "--json",
        "-c",
        "schemas/schemactl.toml",
    ]);
    let record: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(record["schemaType"], "PROTOBUF");
    assert_eq!(
        record["references"][0]["name"], "common/money.proto",
        "imports become references"
    );
    let (code, stdout, _) = run(&["check", "-c", "schemas/evolved.toml"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("example_check", stdout);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
