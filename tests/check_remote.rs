//! `schemactl check --remote`: the registry's own verdict beside the local one. Agreement and
//! disagreement each way, registries that cannot answer, references sent as `register` sends
//! them, every output format, the `[check] remote` config key, against a scripted registry that
//! disagrees with Confluent's rules, the embedded store and `schemactl registry serve`.

mod cli_support;

use cli_support::{serve, Project};

mod scripted_registry;

use std::path::Path;

use scripted_registry::{one_version, Reply, ScriptedRegistry, BACKWARD};

const USER_V1: &str = r#"{
  "type": "record",
  "name": "User",
  "namespace": "com.example",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "name", "type": "string"}
  ]
}
"#;

const CONFIG: &str = r#"[registry]
path = ".schemactl/registry.db"

[[subject]]
topic = "users"
schema = "user.avsc"
"#;

/// An optional field: compatible both ways.
fn user_with_optional_email() -> String {
    USER_V1.replace(
        r#"{"name": "name", "type": "string"}"#,
        r#"{"name": "name", "type": "string"},
    {"name": "email", "type": ["null", "string"], "default": null}"#,
    )
}

/// A required field: not BACKWARD compatible.
fn user_with_required_email() -> String {
    USER_V1.replace(
        r#"{"name": "name", "type": "string"}"#,
        r#"{"name": "name", "type": "string"},
    {"name": "email", "type": "string"}"#,
    )
}

/// A project of one subject, `users` with `user.avsc`, configured by `config`.
fn project(config: &str, user: &str) -> Project {
    Project::new(&[("schemactl.toml", config), ("user.avsc", user)])
}

/// A registry holding USER_V1 as `users-value` version 1 (BACKWARD), answering the compatibility
/// question with `compatibility` on `versions` and `latest` on `versions/latest`.
fn registry_with_v1(compatibility: Reply, latest: Option<Reply>) -> ScriptedRegistry {
    let mut routes = one_version("users-value", BACKWARD, USER_V1, None);
    routes.push((
        "POST /compatibility/subjects/users-value/versions".into(),
        compatibility,
    ));
    if let Some(latest) = latest {
        routes.push((
            "POST /compatibility/subjects/users-value/versions/latest".into(),
            latest,
        ));
    }
    ScriptedRegistry::start(routes)
}

/// The registry's words for a refusal Confluent would not make.
const REGISTRY_SAYS: &str = r#"{"is_compatible":false,"messages":["{errorType:'FIELD_ADDED', description:'adding email is not allowed here'}","{compatibility: 'BACKWARD'}"]}"#;

#[test]
fn both_compatible_passes_and_says_they_agree() {
    let p = project(CONFIG, USER_V1);
    p.register_then_write("user.avsc", &user_with_optional_email());
    let (code, stdout, stderr) = p.run(&["check", "--remote"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "ok    users-value (user.avsc): BACKWARD compatible with v1\n      \
         registry: compatible (agrees)\n\
         1 subject checked, 0 incompatible, 0 disagreements with the registry\n"
    );
}

#[test]
fn both_incompatible_is_exit_1_with_one_explanation() {
    let p = project(CONFIG, USER_V1);
    p.register_then_write("user.avsc", &user_with_required_email());
    let (code, stdout, _) = p.run(&["check", "--remote"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("      registry: incompatible (agrees)\n"),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("READER_FIELD_MISSING_DEFAULT_VALUE").count(),
        1,
        "the local explanation only, once: {stdout}"
    );
    assert!(!stdout.contains("the registry said"), "{stdout}");
    assert!(stdout.ends_with("1 incompatible, 0 disagreements with the registry\n"));
}

#[test]
fn registry_refusing_what_schemactl_accepts_fails_with_its_words() {
    let registry = registry_with_v1(Reply::json(200, REGISTRY_SAYS), None);
    let p = project(CONFIG, &user_with_optional_email());
    let (code, stdout, stderr) = p.run(&["check", "--remote", "--registry", &registry.url]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    insta::assert_snapshot!("remote_refuses_human", stdout);
    // README shows exactly this report.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("```text\n{stdout}```\n")),
        "README's `check --remote` example differs from:\n{stdout}"
    );
    // Without --remote the local verdict alone passes.
    let (code, _, _) = p.run(&["check", "--registry", &registry.url]);
    assert_eq!(code, 0);
}

#[test]
fn registry_accepting_what_schemactl_refuses_is_a_disagreement() {
    let registry = registry_with_v1(Reply::json(200, r#"{"is_compatible":true}"#), None);
    let p = project(CONFIG, &user_with_required_email());
    let (code, stdout, _) = p.run(&["check", "--remote", "--registry", &registry.url]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(
            "      DISAGREES: schemactl says incompatible, the registry says compatible\n      \
             the registry would accept it: its rules differ from Confluent's here\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("error[READER_FIELD_MISSING_DEFAULT_VALUE]"));
    assert!(stdout.ends_with("1 incompatible, 1 disagreement with the registry\n"));
}

#[test]
fn every_format_shows_the_registry_verdict_and_the_disagreement() {
    let registry = registry_with_v1(Reply::json(200, REGISTRY_SAYS), None);
    let p = project(CONFIG, &user_with_optional_email());
    let url = registry.url.as_str();

    let (code, json, _) = p.run(&["check", "--remote", "--registry", url, "--format", "json"]);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("remote_refuses_json", value);

    let (code, github, _) = p.run(&["check", "--remote", "--registry", url, "--format", "github"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("remote_refuses_github", github);

    let (code, junit, _) = p.run(&["check", "--remote", "--registry", url, "--format", "junit"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("remote_refuses_junit", junit);
}

#[test]
fn the_question_is_verbose_and_carries_the_references_register_sends() {
    // `users-value` references the project subject `address`, registered as version 3 with the
    // same text: the reference goes out with version 3, as `register` would send it.
    let address = r#"{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}]}"#;
    let user = r#"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"home","type":"com.example.Address"}]}"#;
    let config = r#"[[subject]]
topic = "users"
schema = "user.avsc"
references = [{ name = "com.example.Address", subject = "address" }]

[[subject]]
name = "address"
schema = "address.avsc"
"#;
    let record = serde_json::json!({
        "subject": "address", "version": 3, "id": 7, "schema": address,
    })
    .to_string();
    let registry = ScriptedRegistry::start(vec![
        (
            "GET /config/address",
            Reply::json(200, r#"{"compatibilityLevel":"BACKWARD"}"#),
        ),
        (
            "GET /config/users-value",
            Reply::json(200, r#"{"compatibilityLevel":"BACKWARD"}"#),
        ),
        ("GET /subjects/address/versions", Reply::json(200, "[3]")),
        (
            "GET /subjects/address/versions/3",
            Reply::json(200, record.clone()),
        ),
        ("POST /subjects/address", Reply::json(200, record)),
        (
            "POST /compatibility/subjects/users-value/versions",
            Reply::json(200, r#"{"is_compatible":true}"#),
        ),
    ]);
    let p = project(config, user);
    p.write("address.avsc", address);
    let (code, stdout, stderr) = p.run(&["check", "--remote", "--registry", &registry.url]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "registry: already registered as version 3 (`register` changes nothing) (agrees)"
        ),
        "{stdout}"
    );
    let asked: Vec<String> = registry
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("POST /compatibility"))
        .collect();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(
        asked[0].starts_with("POST /compatibility/subjects/users-value/versions?verbose=true\n"),
        "{}",
        asked[0]
    );
    let body: serde_json::Value =
        serde_json::from_str(asked[0].split_once('\n').unwrap().1).unwrap();
    assert_eq!(
        body["references"],
        serde_json::json!([{"name": "com.example.Address", "subject": "address", "version": 3}])
    );
    assert_eq!(body["schema"], user);
}

#[test]
fn a_registry_without_the_endpoint_is_a_note_not_a_failure() {
    let missing = || Reply::text(404, "Not Found");
    let registry = registry_with_v1(missing(), Some(missing()));
    let p = project(CONFIG, &user_with_optional_email());
    let (code, stdout, stderr) = p.run(&["check", "--remote", "--registry", &registry.url]);
    assert_eq!(code, 0, "the local verdict decides: {stdout}{stderr}");
    assert!(
        stdout.contains("      note: the registry has no compatibility API"),
        "{stdout}"
    );
    assert!(stdout.contains("the verdict is the local check's alone"));
    // Required, the unanswered question fails the gate (exit 3), after the report.
    let (code, stdout, _) = p.run(&["check", "--require-remote", "--registry", &registry.url]);
    assert_eq!(code, 3, "{stdout}");
    assert!(stdout.contains("note: the registry has no compatibility API"));
}

#[test]
fn an_older_registry_is_asked_against_latest() {
    let registry = registry_with_v1(
        Reply::text(404, "Not Found"),
        Some(Reply::json(200, REGISTRY_SAYS)),
    );
    let p = project(CONFIG, &user_with_optional_email());
    let (code, stdout, _) = p.run(&["check", "--remote", "--registry", &registry.url]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("DISAGREES: schemactl says compatible, the registry says incompatible"),
        "{stdout}"
    );
    assert!(registry
        .requests()
        .iter()
        .any(|r| r
            .starts_with("POST /compatibility/subjects/users-value/versions/latest?verbose=true")));
}

#[test]
fn credentials_without_the_right_are_a_note_naming_the_status() {
    let registry = registry_with_v1(
        Reply::json(401, r#"{"error_code":40101,"message":"no"}"#),
        None,
    );
    let p = project(CONFIG, &user_with_required_email());
    let (code, stdout, stderr) = p.run(&["check", "--remote", "--registry", &registry.url]);
    assert_eq!(code, 1, "the local verdict decides: {stdout}{stderr}");
    assert!(
        stdout.contains("note: the registry did not answer the compatibility question:")
            && stdout.contains("authentication failed (HTTP 401)"),
        "{stdout}"
    );
}

#[test]
fn a_new_subject_has_nothing_to_compare_on_the_registry() {
    // No version anywhere: Confluent answers 40401 on versions/latest.
    let registry = ScriptedRegistry::start(vec![
        (
            "GET /config/users-value",
            Reply::json(200, r#"{"compatibilityLevel":"BACKWARD"}"#),
        ),
        (
            "POST /compatibility/subjects/users-value/versions",
            Reply::text(404, "Not Found"),
        ),
    ]);
    let p = project(CONFIG, USER_V1);
    let (code, stdout, _) = p.run(&["check", "--remote", "--registry", &registry.url]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("registry: nothing to compare (no version registered) (agrees)"),
        "{stdout}"
    );
}

#[test]
fn the_config_key_makes_it_the_default_and_no_remote_overrides_it() {
    let registry = registry_with_v1(Reply::json(200, REGISTRY_SAYS), None);
    let config = format!("{CONFIG}\n[check]\nremote = true\n");
    let p = project(&config, &user_with_optional_email());
    let (code, stdout, _) = p.run(&["check", "--registry", &registry.url]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("DISAGREES"), "{stdout}");
    let asked = registry.bodies("POST /compatibility").len();
    let (code, stdout, _) = p.run(&["check", "--no-remote", "--registry", &registry.url]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(registry.bodies("POST /compatibility").len(), asked);
    assert!(!stdout.contains("registry"), "{stdout}");
}

#[test]
fn remote_and_a_git_revision_do_not_mix() {
    let p = project(CONFIG, USER_V1);
    let (code, _, stderr) = p.run(&["check", "--remote", "--against", "git:main"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot be combined with --against"),
        "{stderr}"
    );
}

#[test]
fn a_configured_level_the_registry_does_not_have_yet_is_noted() {
    let p = project(
        &CONFIG.replace(
            "schema = \"user.avsc\"",
            "schema = \"user.avsc\"\nlevel = \"FULL\"",
        ),
        USER_V1,
    );
    assert_eq!(p.run(&["register"]).0, 0);
    assert_eq!(p.run(&["config", "set", "users-value", "NONE"]).0, 0);
    p.write("user.avsc", &user_with_optional_email());
    let (code, stdout, _) = p.run(&["check", "--remote"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains(
            "note: the registry judged under its current level NONE; `register` sets FULL from the config first"
        ),
        "{stdout}"
    );
}

#[test]
fn a_served_registry_agrees_with_the_local_check() {
    let server = serve();
    let p = project(CONFIG, USER_V1);
    let (code, stdout, _) = p.run(&["check", "--remote", "--registry", &server.url]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("registry: compatible (agrees)"), "{stdout}");
    assert_eq!(p.run(&["register", "--registry", &server.url]).0, 0);
    let (code, stdout, _) = p.run(&["check", "--remote", "--registry", &server.url]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("registry: already registered as version 1"),
        "{stdout}"
    );
    p.write("user.avsc", &user_with_required_email());
    let (code, stdout, _) = p.run(&["check", "--remote", "--registry", &server.url]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("registry: incompatible (agrees)"),
        "{stdout}"
    );
}

#[test]
fn the_readme_config_reference_parses_with_remote_on() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme.split("### `schemactl.toml`").nth(1).unwrap();
    let toml = section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    let config =
        schemactl::project::ProjectConfig::parse(Path::new("schemactl.toml"), toml).unwrap();
    assert!(config.check.remote);
}

#[test]
fn a_protobuf_package_change_the_registry_accepts_is_a_disagreement() {
    // The registry of the issue: it accepts a package change, which Confluent refuses.
    let v1 = "syntax = \"proto3\";\npackage shop.v1;\n\nmessage Order {\n  string id = 1;\n}\n";
    let record = serde_json::json!({
        "subject": "orders-value", "version": 1, "id": 1, "schemaType": "PROTOBUF", "schema": v1,
    })
    .to_string();
    let registry = ScriptedRegistry::start(vec![
        (
            "GET /config/orders-value",
            Reply::json(200, r#"{"compatibilityLevel":"BACKWARD"}"#),
        ),
        (
            "GET /subjects/orders-value/versions",
            Reply::json(200, "[1]"),
        ),
        (
            "GET /subjects/orders-value/versions/1",
            Reply::json(200, record),
        ),
        (
            "POST /compatibility/subjects/orders-value/versions",
            Reply::json(200, r#"{"is_compatible":true}"#),
        ),
    ]);
    let p = project(
        "[[subject]]\ntopic = \"orders\"\nschema = \"order.proto\"\n",
        USER_V1,
    );
    p.write("order.proto", &v1.replace("shop.v1", "shop.v2"));
    let (code, stdout, stderr) = p.run(&["check", "--remote", "--registry", &registry.url]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("PACKAGE_CHANGED"), "{stdout}");
    assert!(
        stdout.contains("DISAGREES: schemactl says incompatible, the registry says compatible"),
        "{stdout}"
    );
    let asked = registry.bodies("POST /compatibility");
    let body: serde_json::Value = serde_json::from_str(&asked[0]).unwrap();
    assert_eq!(body["schemaType"], "PROTOBUF");
}
