//! The project workflow with JSON Schema subjects: `.json` files, a Confluent reference between
//! two JSON subjects, `check` in every format and against a git revision, `register`, `pull`,
//! `diff`, `show`, and `compat --type`. Against the embedded store and `registry serve`.
//!
//! The one break used is a change of the root `type`, which every JSON Schema engine reports;
//! the assertions hold whatever the finding's exact wording.

mod cli_support;
mod scripted_registry;

use cli_support::{serve, Project};
use scripted_registry::{one_version, ScriptedRegistry};

const ADDRESS: &str = r#"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "street": { "type": "string" },
    "city": { "type": "string" }
  },
  "required": ["city"]
}
"#;

const CUSTOMER: &str = r#"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Customer",
  "type": "object",
  "properties": {
    "id": { "type": "integer", "maximum": 1000000 },
    "address": { "$ref": "address.json" }
  },
  "required": ["id"],
  "additionalProperties": false
}
"#;

/// A temporary project: two JSON Schema subjects, the customers topic's value referencing
/// `address`.
fn project() -> Project {
    let customer = ("customer.json", CUSTOMER);
    Project::referencing(
        "customers",
        customer,
        "address.json",
        ("address.json", ADDRESS),
    )
}

/// The customer schema as a list of customers: the root type changed, a break both ways.
fn customer_as_array() -> String {
    CUSTOMER.replace(
        r#""type": "object",
  "properties""#,
        r#""type": "array",
  "properties""#,
    )
}

/// The customer schema with an optional property added to its closed model and a bound
/// removed: BACKWARD compatible.
fn customer_with_email() -> String {
    CUSTOMER.replace(
        r#""id": { "type": "integer", "maximum": 1000000 },"#,
        r#""id": { "type": "integer" },
    "email": { "type": "string", "maxLength": 120 },"#,
    )
}

/// A schema with no references, for `compat` (which has no registry to resolve them).
const STANDALONE: &str = r#"{
  "type": "object",
  "properties": { "id": { "type": "integer" } },
  "required": ["id"],
  "additionalProperties": false
}
"#;

#[test]
fn json_subjects_register_references_first_and_show_as_json() {
    let p = project();
    let stdout = p.register(&[]);
    insta::assert_snapshot!("json_first_register", stdout);
    let stdout = p.register(&[]);
    assert!(!stdout.contains("registered "), "idempotent: {stdout}");
    let (_, shown, _) = p.run(&["show", "customers-value", "--json"]);
    let record: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(record["schemaType"], "JSON");
    assert_eq!(record["references"][0]["name"], "address.json");
    assert_eq!(record["references"][0]["subject"], "address");
    assert_eq!(record["references"][0]["version"], 1);
    // `show` gives back the registered file, byte for byte.
    let (code, text, _) = p.run(&["show", "address"]);
    assert_eq!(code, 0);
    assert_eq!(text, ADDRESS);
}

#[test]
fn a_json_break_fails_check_in_every_format_with_file_line_and_column() {
    let p = project();
    p.register_then_write("customer.json", &customer_as_array());
    let (code, human, _) = p.run(&["check"]);
    assert_eq!(code, 1, "{human}");
    assert!(
        human.contains("FAIL  customers-value (customer.json)"),
        "{human}"
    );
    assert!(human.contains("--> customer.json:"), "{human}");
    assert!(has_line_and_column(&human, "customer.json"), "{human}");
    assert!(human.contains("ok    address (address.json)"), "{human}");

    let (code, json, _) = p.run(&["check", "--format", "json"]);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["compatible"], false);
    let text = value.to_string();
    assert!(text.contains(r#""file":"customer.json""#), "{text}");
    assert!(text.contains(r#""line":"#), "{text}");

    let (code, github, _) = p.run(&["check", "--format", "github"]);
    assert_eq!(code, 1);
    assert!(
        github.contains("::error file=customer.json,line="),
        "{github}"
    );

    let (code, junit, _) = p.run(&["check", "--format", "junit"]);
    assert_eq!(code, 1);
    assert!(junit.contains("<failure"), "{junit}");
    assert!(has_line_and_column(&junit, "customer.json"), "{junit}");

    // Release refuses it and leaves the subject as it was.
    let (code, _, _) = p.run(&["register"]);
    assert_eq!(code, 1);
    assert_eq!(p.run(&["versions", "customers-value"]).1, "1\n");
}

#[test]
fn invalid_json_schemas_are_exit_2_with_file_line_and_column() {
    let p = project();
    p.write(
        "customer.json",
        "{\n  \"type\": \"object\",\n  \"properties\": {\n}\n",
    );
    let (code, stdout, stderr) = p.run(&["check"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(has_line_and_column(&stderr, "customer.json"), "{stderr}");
    p.write("customer.json", "[1, 2]\n");
    let (code, _, stderr) = p.run(&["check"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("customer.json:1:1"), "{stderr}");
}

/// Whether `text` names `file:LINE:COLUMN`.
fn has_line_and_column(text: &str, file: &str) -> bool {
    text.match_indices(&format!("{file}:")).any(|(i, m)| {
        let rest = &text[i + m.len()..];
        let line = rest.bytes().take_while(u8::is_ascii_digit).count();
        line > 0
            && rest[line..].starts_with(':')
            && rest[line + 1..].starts_with(|c: char| c.is_ascii_digit())
    })
}

#[test]
fn avro_in_a_json_file_says_so_with_type() {
    let p = project();
    p.write(
        "schemactl.toml",
        "[[subject]]\nname = \"legacy\"\nschema = \"legacy.json\"\ntype = \"avro\"\n",
    );
    p.write(
        "legacy.json",
        r#"{"type": "record", "name": "L", "fields": []}"#,
    );
    p.register(&[]);
    let (_, shown, _) = p.run(&["show", "legacy", "--json"]);
    let record: serde_json::Value = serde_json::from_str(&shown).unwrap();
    // Confluent leaves `schemaType` out for Avro.
    assert!(
        record.get("schemaType").is_none_or(|t| t == "AVRO"),
        "{record}"
    );
    // Without `type`, the `.json` file is a JSON Schema: an Avro record is one too (an object),
    // registered under another type, so the subject refuses it as a different schema type.
    p.write(
        "schemactl.toml",
        "[[subject]]\nname = \"legacy\"\nschema = \"legacy.json\"\ntype = \"json\"\n",
    );
    let (code, _, _) = p.run(&["check"]);
    assert_ne!(code, 0);
}

#[test]
fn pull_and_diff_show_json_versions() {
    let p = project();
    p.register_then_write("customer.json", &customer_with_email());
    assert_eq!(p.run(&["check"]).0, 0);
    let (code, diff, stderr) = p.run(&["diff", "customers-value"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("json_diff_local", diff);
    let (code, stdout, _) = p.run(&["pull", "--out", "pulled"]);
    assert_eq!(code, 0, "{stdout}");
    let pulled = std::fs::read_to_string(p.path().join("pulled/customers-value/v1.json")).unwrap();
    assert_eq!(pulled, CUSTOMER);
    assert!(
        p.path().join("pulled/address/v1.json").exists(),
        "references are pulled too"
    );
}

#[test]
fn check_against_a_git_revision_compares_json_files() {
    let p = project();
    p.commit_to_git("main");
    p.write("customer.json", &customer_as_array());
    let (code, stdout, stderr) = p.run(&["check", "--against", "git:main"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(has_line_and_column(&stdout, "customer.json"), "{stdout}");
    p.write("customer.json", CUSTOMER);
    assert_eq!(p.run(&["check", "--against", "git:main"]).0, 0);
}

#[test]
fn the_workflow_runs_against_a_served_registry() {
    let server = serve();
    let p = project();
    p.register(&["--registry", &server.url]);
    p.write("customer.json", &customer_as_array());
    assert_eq!(p.run(&["check", "--registry", &server.url]).0, 1);
    let (code, stdout, stderr) = p.run(&["check", "--registry", &server.url, "--remote"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(!stdout.contains("DISAGREES"), "{stdout}");
    p.write("customer.json", &customer_with_email());
    let stdout = p.register(&["--registry", &server.url]);
    assert!(stdout.contains("customers-value  2"), "{stdout}");
}

#[test]
fn compat_takes_json_files_and_the_type_flag() {
    let p = project();
    p.write("old.json", STANDALONE);
    p.write(
        "new.json",
        &STANDALONE.replace(
            r#""id": { "type": "integer" } },"#,
            r#""id": { "type": "integer" }, "note": { "type": "string" } },"#,
        ),
    );
    let args = |extra: &[&str]| {
        let mut all = vec!["compat", "new.json", "--against", "old.json"];
        all.extend_from_slice(extra);
        p.run(&all)
    };
    let (code, stdout, stderr) = args(&[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(args(&["--type", "json", "--rules", "lenient"]).0, 0);
    p.write(
        "new.json",
        &STANDALONE.replace(r#""type": "object""#, r#""type": "array""#),
    );
    let (code, stdout, _) = args(&["--level", "FULL"]);
    assert_eq!(code, 1);
    assert!(has_line_and_column(&stdout, "new.json"), "{stdout}");
    // The same files read as Avro are not Avro schemas.
    assert_eq!(args(&["--type", "avro"]).0, 2);
    p.write("new.txt", STANDALONE);
    let (code, _, stderr) = p.run(&["compat", "new.txt", "--against", "old.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--type json"), "{stderr}");
}

/// A registry that reports `compatibilityPolicy: lenient` for a JSON subject has it checked with
/// Confluent's lenient policy: a property added to an open content model (which the strict
/// default refuses as PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL) passes, unless `--rules strict`
/// says otherwise; a registry that reports no policy keeps the strict verdict.
#[test]
fn a_registry_s_lenient_compatibility_policy_judges_json_subjects() {
    const OPEN_V1: &str = r#"{
  "type": "object",
  "properties": { "id": { "type": "integer" } },
  "required": ["id"]
}
"#;
    let open_v2 = OPEN_V1.replace(
        r#""id": { "type": "integer" } },"#,
        r#""id": { "type": "integer" }, "note": { "type": "string" } },"#,
    );
    let registry = |config: &str| {
        ScriptedRegistry::start(one_version("events-value", config, OPEN_V1, Some("JSON")))
    };
    let p = Project::new(&[
        (
            "schemactl.toml",
            "[[subject]]\ntopic = \"events\"\nschema = \"event.json\"\n",
        ),
        ("event.json", &open_v2),
    ]);
    let check = |url: &str, extra: &[&str]| {
        let mut args = vec!["check", "--registry", url];
        args.extend_from_slice(extra);
        p.run(&args)
    };

    let lenient = registry(r#"{"compatibilityLevel":"BACKWARD","compatibilityPolicy":"lenient"}"#);
    let (code, stdout, stderr) = check(&lenient.url, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, stdout, stderr) = check(&lenient.url, &["--rules", "strict"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"),
        "{stdout}"
    );

    let strict = registry(r#"{"compatibilityLevel":"BACKWARD"}"#);
    let (code, stdout, stderr) = check(&strict.url, &[]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"),
        "{stdout}"
    );
}
