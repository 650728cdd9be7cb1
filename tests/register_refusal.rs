//! A refused `register` explains itself as `register --dry-run` does; the registry's raw error
//! text only with `--verbose`, or when the registry refuses what schemactl's check accepts (then
//! it is the only explanation there is).

mod cli_support;

use cli_support::Project;

mod scripted_registry;

use scripted_registry::{one_version, Reply, ScriptedRegistry, BACKWARD};

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

fn project(user: &str) -> Project {
    Project::new(&[("schemactl.toml", CONFIG), ("user.avsc", user)])
}

/// (exit code, stdout) of schemactl in the project.
fn run(p: &Project, args: &[&str]) -> (i32, String) {
    let (code, stdout, _) = p.run(args);
    (code, stdout)
}

#[test]
fn a_refusal_reads_like_the_dry_run() {
    let p = project(USER_V1);
    assert_eq!(run(&p, &["register"]).0, 0);
    p.write("user.avsc", USER_REQUIRED_EMAIL);
    let (code, planned) = run(&p, &["register", "--dry-run"]);
    assert_eq!(code, 1, "{planned}");
    let (code, refused) = run(&p, &["register"]);
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
    let p = project(USER_V1);
    assert_eq!(run(&p, &["register"]).0, 0);
    p.write("user.avsc", USER_REQUIRED_EMAIL);
    let (code, refused) = run(&p, &["register", "--verbose"]);
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
    let mut routes = one_version("users-value", BACKWARD, USER_V1, None);
    routes.push((
        "POST /subjects/users-value/versions".into(),
        Reply::json(
            409,
            r#"{"error_code":409,"message":"Schema being registered is incompatible with an earlier schema for subject \"users-value\", details: [{errorType:'FIELD_ADDED'}]"}"#,
        ),
    ));
    let registry = ScriptedRegistry::start(routes);
    let p = project(USER_OPTIONAL_EMAIL);
    let (code, refused) = run(&p, &["register", "--registry", &registry.url]);
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
