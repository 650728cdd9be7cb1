//! A refused `register` explains itself as `register --dry-run` does; the registry's raw error
//! text only with `--verbose`, or when the registry refuses what schemactl's check accepts (then
//! it is the only explanation there is).

mod cli_support;

use cli_support::run_in;

mod scripted_registry;

use std::path::Path;

use scripted_registry::{Reply, ScriptedRegistry};

const USER_V1: &str = r#"{"type": "record", "name": "User", "namespace": "com.example",
  "fields": [{"name": "id", "type": "long"}]}
"#;
const USER_REQUIRED_EMAIL: &str = r#"{"type": "record", "name": "User", "namespace": "com.example",
  "fields": [{"name": "id", "type": "long"}, {"name": "email", "type": "string"}]}
"#;
const USER_OPTIONAL_EMAIL: &str = r#"{"type": "record", "name": "User", "namespace": "com.example",
  "fields": [{"name": "id", "type": "long"}, {"name": "email", "type": ["null", "string"], "default": null}]}
"#;
const CONFIG: &str = "[[subject]]\ntopic = \"users\"\nschema = \"user.avsc\"\n";

fn project(user: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schemactl.toml"), CONFIG).unwrap();
    std::fs::write(dir.path().join("user.avsc"), user).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let (code, stdout, _) = run_in(dir, args);
    (code, stdout)
}

#[test]
fn a_refusal_reads_like_the_dry_run() {
    let dir = project(USER_V1);
    assert_eq!(run(dir.path(), &["register"]).0, 0);
    std::fs::write(dir.path().join("user.avsc"), USER_REQUIRED_EMAIL).unwrap();
    let (code, planned) = run(dir.path(), &["register", "--dry-run"]);
    assert_eq!(code, 1, "{planned}");
    let (code, refused) = run(dir.path(), &["register"]);
    assert_eq!(code, 1, "{refused}");
    assert_eq!(
        refused,
        planned
            .strip_prefix("dry run: nothing was changed\n")
            .unwrap(),
        "the same table and explanation"
    );
    assert!(refused
        .contains("users-value was refused: it is not compatible with the registered versions\n"));
    assert!(
        !refused.contains("Schema being registered is incompatible"),
        "{refused}"
    );
}

#[test]
fn verbose_adds_the_registry_answer() {
    let dir = project(USER_V1);
    assert_eq!(run(dir.path(), &["register"]).0, 0);
    std::fs::write(dir.path().join("user.avsc"), USER_REQUIRED_EMAIL).unwrap();
    let (code, refused) = run(dir.path(), &["register", "--verbose"]);
    assert_eq!(code, 1, "{refused}");
    assert!(
        refused.contains(
            "users-value was refused: it is not compatible with the registered versions\n\
             the registry answered: Schema being registered is incompatible"
        ),
        "{refused}"
    );
    assert!(refused.contains("error[READER_FIELD_MISSING_DEFAULT_VALUE]"));
}

#[test]
fn a_refusal_schemactl_cannot_explain_shows_the_registry_answer() {
    let record = serde_json::json!({
        "subject": "users-value", "version": 1, "id": 1, "schema": USER_V1,
    })
    .to_string();
    let registry = ScriptedRegistry::start(vec![
        (
            "GET /config/users-value",
            Reply::json(200, r#"{"compatibilityLevel":"BACKWARD"}"#),
        ),
        (
            "GET /subjects/users-value/versions",
            Reply::json(200, "[1]"),
        ),
        (
            "GET /subjects/users-value/versions/1",
            Reply::json(200, record),
        ),
        (
            "POST /subjects/users-value",
            Reply::json(404, r#"{"error_code":40403,"message":"Schema not found"}"#),
        ),
        (
            "POST /subjects/users-value/versions",
            Reply::json(
                409,
                r#"{"error_code":409,"message":"Schema being registered is incompatible with an earlier schema for subject \"users-value\", details: [{errorType:'FIELD_ADDED'}]"}"#,
            ),
        ),
    ]);
    let dir = project(USER_OPTIONAL_EMAIL);
    let (code, refused) = run(dir.path(), &["register", "--registry", &registry.url]);
    assert_eq!(code, 1, "{refused}");
    assert!(
        refused.contains(
            "users-value was refused: the registry refused it, but schemactl's check finds it compatible"
        ),
        "{refused}"
    );
    assert!(
        refused.contains("the registry answered: Schema being registered is incompatible"),
        "{refused}"
    );
}
