//! Every location a report gives points at a file of the repository (the new schema or one of
//! its imports), never at a registered version's text; where the problem was found in an earlier
//! version, the report says so. JSON output carries `file`, `line` and `column` per message.

mod cli_support;

use cli_support::run_in;

use std::path::Path;

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const USER_V1: &str = r#"{
  "type": "record",
  "name": "User",
  "fields": [
    {"name": "id", "type": "long"},
    {"name": "name", "type": "string"}
  ]
}
"#;

/// `id` moved to the end and changed from long to string: under FORWARD the path the engine
/// gives (`/fields/0/type`) is one into the OLD schema, which reads.
const USER_V2: &str = r#"{
  "type": "record",
  "name": "User",
  "fields": [
    {"name": "name", "type": "string"},
    {"name": "id", "type": "string"}
  ]
}
"#;

const CONFIG: &str = r#"[registry]
path = ".schemactl/registry.db"

[[subject]]
topic = "users"
schema = "user.avsc"
level = "FORWARD"
"#;

fn registered_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "schemactl.toml", CONFIG);
    write(dir.path(), "user.avsc", USER_V1);
    let (code, _, stderr) = run_in(dir.path(), &["register"]);
    assert_eq!(code, 0, "{stderr}");
    write(dir.path(), "user.avsc", USER_V2);
    dir
}

#[test]
fn github_annotates_the_repository_file_never_the_registered_version() {
    let dir = registered_project();
    let (code, stdout, stderr) = run_in(dir.path(), &["check", "--format", "github"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stdout.contains("file=users-value"), "{stdout}");
    // The new file's `id` field (line 6 of USER_V2), with the registered place in the message.
    assert!(
        stdout.starts_with(
            "::error file=user.avsc,line=6,col=28,title=TYPE_MISMATCH (users-value v1)::"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("(in v1: users-value/versions/1:5:28) Fix: old readers expect long"),
        "{stdout}"
    );
    insta::assert_snapshot!("forward_github", stdout);
}

#[test]
fn human_check_points_at_the_new_file_and_names_the_registered_place() {
    let dir = registered_project();
    let (code, stdout, _) = run_in(dir.path(), &["check"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("--> user.avsc:6:28\n"), "{stdout}");
    assert!(
        stdout.contains("in v1: users-value/versions/1:5:28\n"),
        "{stdout}"
    );
    insta::assert_snapshot!("forward_human", stdout);
}

#[test]
fn check_json_carries_file_line_and_column_for_every_message() {
    let dir = registered_project();
    let (code, stdout, _) = run_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let messages = value["subjects"][0]["messages"].as_array().unwrap();
    assert!(!messages.is_empty());
    for m in messages {
        assert_eq!(m["file"], "user.avsc", "{m}");
        assert_eq!(
            (m["line"].as_u64(), m["column"].as_u64()),
            (Some(6), Some(28)),
            "{m}"
        );
        assert_eq!(m["found_in"], "users-value/versions/1:5:28", "{m}");
    }
}

#[test]
fn compat_json_carries_file_line_and_column_for_every_message() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.avsc", USER_V1);
    write(dir.path(), "new.avsc", USER_V2);
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "compat",
            "new.avsc",
            "--against",
            "old.avsc",
            "--level",
            "FULL",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let messages = value["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "{value}");
    for m in messages {
        assert_eq!(m["file"], "new.avsc", "{m}");
        assert_eq!(
            (m["line"].as_u64(), m["column"].as_u64()),
            (Some(6), Some(28)),
            "{m}"
        );
    }
    // BACKWARD paths are the new schema's own; FORWARD ones are found in the old file.
    assert_eq!(messages[0]["direction"], "BACKWARD");
    assert!(messages[0].get("found_in").is_none(), "{value}");
    assert_eq!(messages[1]["found_in"], "old.avsc:5:28");
}

const MONEY_V1: &str = "syntax = \"proto3\";\npackage common;\n\nmessage Money {\n  string currency = 1;\n  int64 units = 2;\n}\n";
const MONEY_V2: &str = "syntax = \"proto3\";\npackage common;\n\n// amounts in cents now\nmessage Money {\n  string currency = 1;\n  string units = 2;\n}\n";
const ORDER: &str = "syntax = \"proto3\";\npackage shop;\n\nimport \"common/money.proto\";\n\nmessage Order {\n  string id = 1;\n  common.Money total = 2;\n}\n";

#[test]
fn a_problem_inside_an_imported_protobuf_type_points_at_the_imported_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old/order.proto", ORDER);
    write(dir.path(), "old/common/money.proto", MONEY_V1);
    write(dir.path(), "new/order.proto", ORDER);
    write(dir.path(), "new/common/money.proto", MONEY_V2);
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "compat",
            "new/order.proto",
            "--against",
            "old/order.proto",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let messages = value["messages"].as_array().unwrap();
    let inner = messages
        .iter()
        .find(|m| m["kind"] == "FIELD_SCALAR_KIND_CHANGED")
        .unwrap_or_else(|| panic!("{value}"));
    assert_eq!(inner["path"], "#/Money/2");
    let file = inner["file"].as_str().unwrap();
    assert!(file.ends_with("new/common/money.proto"), "{file}");
    assert_eq!(
        (inner["line"].as_u64(), inner["column"].as_u64()),
        (Some(7), Some(3))
    );
    // The field of the schema's own file that uses the type points at that file.
    let outer = messages
        .iter()
        .find(|m| m["kind"] == "FIELD_NAMED_TYPE_CHANGED")
        .unwrap_or_else(|| panic!("{value}"));
    assert_eq!(outer["file"], "new/order.proto");
    assert_eq!(
        (outer["line"].as_u64(), outer["column"].as_u64()),
        (Some(8), Some(3))
    );
}

#[test]
fn a_protobuf_element_only_in_the_old_version_points_at_its_parent_in_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let old = "syntax = \"proto3\";\npackage shop;\n\nmessage Order {\n  string id = 1;\n  int32 qty = 2;\n}\n";
    let new = "syntax = \"proto3\";\npackage shop;\n\nmessage Order {\n  string id = 1;\n}\n";
    write(dir.path(), "old.proto", old);
    write(dir.path(), "new.proto", new);
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "compat",
            "new.proto",
            "--against",
            "old.proto",
            "--rules",
            "wire",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("error[FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED] at #/Order/2\n  --> new.proto:4:1\n  in v1: old.proto:6:3\n"), "{stdout}");
}

/// README's `schemactl compat` examples, as README shows them.
#[test]
fn readme_compat_examples_are_what_compat_prints() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let command = "$ schemactl compat schemas/user-v2-breaking.avsc --against schemas/user.avsc\n";
    let start = readme.find(command).expect("README shows the command") + command.len();
    let shown = &readme[start..];
    let shown = &shown[..shown
        .find("  ...\n```")
        .expect("the example ends with an ellipsis")];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args = [
        "compat",
        "schemas/user-v2-breaking.avsc",
        "--against",
        "schemas/user.avsc",
    ];
    let (code, stdout, _) = run_in(root, &args);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with(shown),
        "README shows:\n{shown}\ncompat prints:\n{stdout}"
    );

    // The JSON example: its message, with the hint shortened where README says "...".
    let start = readme
        .find("{\"kind\": \"READER_FIELD_MISSING_DEFAULT_VALUE\"")
        .unwrap();
    let end = start + readme[start..].find("}]}").unwrap() + 1;
    let shown: serde_json::Value = serde_json::from_str(&readme[start..end]).unwrap();
    let (_, stdout, _) = run_in(root, &[&args[..], &["--format", "json"]].concat());
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let printed = &value["messages"][1];
    for (key, want) in shown.as_object().unwrap() {
        match (key.as_str(), want.as_str()) {
            ("hint", Some(h)) => assert!(
                printed[key]
                    .as_str()
                    .unwrap()
                    .starts_with(h.trim_end_matches("...")),
                "{printed}"
            ),
            _ => assert_eq!(&printed[key], want, "{key}"),
        }
    }
}
