//! `schemactl compat` with JSON Schema `$ref`s to other files: each schema's referenced files are
//! read from its own directory (then `-I DIR`), as Confluent references named by the `$ref`'s
//! URI, so the verdicts and paths are those `check` gives with `references` of those names.

mod cli_support;
mod readme_support;

use cli_support::Project;

const ADDRESS: &str = r#"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "street": { "type": "string", "maxLength": 100 },
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
    "id": { "type": "integer" },
    "address": { "$ref": "address.json" },
    "city": { "$ref": "address.json#/properties/city" }
  },
  "required": ["id"],
  "additionalProperties": false
}
"#;

/// The project of README's JSON Schema workflow: `customers-value` references `address`.
fn project(customer: &str, reference: &str) -> Project {
    Project::referencing(
        "customers",
        ("customer.json", customer),
        reference,
        ("address.json", ADDRESS),
    )
}

/// `old/` holds v1 (customer and address), the top directory the new version.
fn two_versions(new_address: &str) -> Project {
    Project::new(&[
        ("old/customer.json", CUSTOMER),
        ("old/address.json", ADDRESS),
        ("customer.json", CUSTOMER),
        ("address.json", new_address),
    ])
}

/// `city` becomes an integer: a break inside the referenced file.
fn address_city_integer() -> String {
    ADDRESS.replace(
        r#""city": { "type": "string" }"#,
        r#""city": { "type": "integer" }"#,
    )
}

/// Kind, path and place (file, line, column) of each message of a JSON report.
fn kinds_and_paths(report: &serde_json::Value) -> Vec<String> {
    let mut found: Vec<String> = report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {} {}:{}:{}",
                m["kind"], m["path"], m["file"], m["line"], m["column"]
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn a_relaxed_referenced_file_is_compatible() {
    // `maxLength` dropped from `street`: the new schema accepts more.
    let dir = two_versions(&ADDRESS.replace(r#", "maxLength": 100"#, ""));
    let (code, stdout, stderr) =
        dir.run(&["compat", "customer.json", "--against", "old/customer.json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "ok: customer.json is BACKWARD compatible (checked against v1)\n"
    );
}

#[test]
fn a_break_inside_the_referenced_file_is_reported_as_check_reports_it() {
    let dir = two_versions(&address_city_integer());
    let (code, human, stderr) =
        dir.run(&["compat", "customer.json", "--against", "old/customer.json"]);
    assert_eq!(code, 1, "{human}{stderr}");
    // At Confluent's path from the root through the `$ref`, shown at the referring property.
    // (`#/properties/city` names the same pair of schemas, compared once per check.)
    assert!(
        human.starts_with("incompatible: customer.json is not BACKWARD compatible: 1 problem"),
        "{human}"
    );
    assert!(
        human.contains("error[TYPE_CHANGED] at #/properties/address/properties/city\n  --> customer.json:7:16\n"),
        "{human}"
    );

    let (code, json, _) = dir.run(&[
        "compat",
        "customer.json",
        "--against",
        "old/customer.json",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let compat: serde_json::Value = serde_json::from_str(&json).unwrap();

    // `check` of the same change, with the reference configured and v1 registered.
    let project = project(CUSTOMER, "address.json");
    project.register_then_write("address.json", &address_city_integer());
    let (code, json, _) = project.run(&["check", "--format", "json"]);
    assert_eq!(code, 1, "{json}");
    let check: serde_json::Value = serde_json::from_str(&json).unwrap();
    let customers = check["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subject"] == "customers-value")
        .unwrap_or_else(|| panic!("{check}"));
    assert_eq!(kinds_and_paths(&compat), kinds_and_paths(customers));
    assert!(!kinds_and_paths(&compat).is_empty());
}

#[test]
fn a_missing_file_is_exit_2_at_the_ref_naming_the_places_looked_in() {
    let dir = Project::new(&[]);
    dir.write("customer.json", CUSTOMER);
    dir.write("old.json", r#"{"type": "object"}"#);
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    let (code, stdout, stderr) = dir.run(&[
        "compat",
        "customer.json",
        "--against",
        "old.json",
        "-I",
        "shared",
    ]);
    assert_eq!(code, 2, "{stdout}");
    insta::assert_snapshot!("json_ref_missing_file", stderr);
}

#[test]
fn a_url_ref_is_still_an_error_nothing_is_fetched() {
    let dir = Project::new(&[]);
    dir.write(
        "new.json",
        r#"{"properties": {"a": {"$ref": "http://example.com/address.json"}}}"#,
    );
    dir.write("old.json", "{}");
    let (code, _, stderr) = dir.run(&["compat", "new.json", "--against", "old.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("new.json:1:"), "{stderr}");
    assert!(stderr.contains("never fetches"), "{stderr}");
}

#[test]
fn two_files_referring_to_each_other_resolve() {
    let dir = Project::new(&[]);
    let person = r#"{
  "type": "object",
  "properties": { "name": { "type": "string" }, "team": { "$ref": "team.json" } },
  "definitions": { "id": { "type": "integer" } }
}
"#;
    let team = r#"{
  "type": "object",
  "properties": {
    "id": { "$ref": "person.json#/definitions/id" },
    "members": { "type": "array", "items": { "$ref": "person.json" } }
  }
}
"#;
    for d in ["", "old/"] {
        dir.write(&format!("{d}person.json"), person);
        dir.write(&format!("{d}team.json"), team);
    }
    let args = [
        "compat",
        "person.json",
        "--against",
        "old/person.json",
        "--level",
        "FULL",
    ];
    let (code, stdout, stderr) = dir.run(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // A break deep in the cycle is found through it.
    dir.write(
        "team.json",
        &team.replace(r#""type": "array""#, r#""type": "object""#),
    );
    let (code, stdout, _) = dir.run(&args);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[TYPE_CHANGED] at #/properties/team/properties/members\n"),
        "{stdout}"
    );
}

/// README's pulled-tree command, run as shown against a project whose v1 was registered.
#[test]
fn readme_compat_against_a_pulled_version() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme_support::section(&readme, "### `compat` with `$ref`s to other files");
    let block = readme_support::block_with(section, "schemactl pull");
    let project = project(CUSTOMER, "address.json");
    project.register_then_write(
        "address.json",
        &ADDRESS.replace(r#", "maxLength": 100"#, ""),
    );
    let mut expected = String::new();
    let mut last = String::new();
    for line in block.lines() {
        match line.strip_prefix("$ ") {
            Some(command) => {
                let command = command.split(" #").next().unwrap();
                let words: Vec<&str> = command.split_whitespace().collect();
                assert_eq!(words[0], "schemactl");
                let (code, out, err) = project.run(&words[1..]);
                assert_eq!(code, 0, "{command}: {out}{err}");
                (last, expected) = (out, String::new());
            }
            None => {
                expected.push_str(line);
                expected.push('\n');
            }
        }
    }
    assert_eq!(last, expected);
    // The pulled version's `address.json` is found through `-I pulled` only.
    let (code, _, err) = project.run(&[
        "compat",
        "customer.json",
        "--against",
        "pulled/customers-value/v1.json",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pulled/customers-value/v1.json:"), "{err}");
}

/// A reference named by a URL names no file: `pull` writes it in its subject's directory only,
/// and says so.
#[test]
fn pull_writes_a_url_named_reference_only_in_its_subject_directory() {
    let url = "https://schemas.example.com/address.json";
    let project = project(
        &CUSTOMER.replace(r#""$ref": "address.json"#, &format!("\"$ref\": \"{url}")),
        url,
    );
    project.register(&[]);
    let (code, out, err) = project.run(&["pull", "customers-value"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        project.path().join("pulled/address/v1.json").is_file(),
        "{out}"
    );
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(
        err.contains(&format!(
            "note: customers-value version 1: reference '{url}' is a URL"
        )),
        "{err}"
    );
}
