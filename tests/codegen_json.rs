//! JSON Schema → Rust through typify: the code generated for one schema, as a snapshot (read it
//! when it changes), and what the generator refuses. `tests/codegen-json-crate` compiles and runs
//! generated code.
#![cfg(feature = "codegen")]

use schemactl::codegen::json::{generate, JsonInput};
use schemactl::codegen::{CodegenError, Options};

fn input(source: &str, text: &str) -> JsonInput {
    JsonInput {
        source: source.into(),
        text: text.into(),
        references: Vec::new(),
        include: Vec::new(),
    }
}

/// The code `tests/codegen-json-crate/build.rs` generates (every schema, `Order` pinned to 42;
/// `customer.json` refers to `address.json`, whose types its module keeps; `shipment.json` to
/// `shared/parcel.json`, which gets a module without being listed).
#[test]
fn generated_code_for_the_codegen_json_crate() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/codegen-json-crate/schemas"
    );
    let inputs: Vec<JsonInput> = [
        "order.json",
        "payment.json",
        "customer.json",
        "address.json",
        "shipment.json",
    ]
    .iter()
    .map(|f| {
        let mut input = JsonInput::read(std::path::Path::new(&format!("{dir}/{f}"))).unwrap();
        input.include = vec![format!("{dir}/shared").into()];
        input
    })
    .collect();
    let mut options = Options::default();
    options.pinned_ids.insert("Order".into(), 42);
    let code = generate(&inputs, &options).unwrap();
    insta::assert_snapshot!("codegen_json_crate", code);
}

#[test]
fn a_ref_to_a_missing_file_fails_at_the_ref() {
    // A `$ref` to another file is read beside the referring one: here there is none.
    let err = generate(
        &[input(
            "schemas/order.json",
            r#"{"title": "Order", "type": "object", "properties": {"a": {"$ref": "address.json"}}}"#,
        )],
        &Options::default(),
    )
    .unwrap_err();
    assert!(matches!(err, CodegenError::Schema(_)), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with("schemas/order.json:1:"), "{message}");
    assert!(
        message.contains("no file 'address.json' beside the referring file"),
        "{message}"
    );
}

#[test]
fn two_files_of_one_module_name_are_refused() {
    let err = generate(
        &[input("a/order.json", "{}"), input("b/order.json", "{}")],
        &Options::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("rename one of them"), "{err}");
}

#[test]
fn each_file_is_a_module_and_its_root_is_reexported() {
    let code = generate(
        &[
            input(
                "user.json",
                r#"{"type": "object", "properties": {"name": {"type": "string"}}}"#,
            ),
            input(
                "type.json",
                r#"{"title": "Kind", "type": "string", "enum": ["a", "b"]}"#,
            ),
        ],
        &Options::default(),
    )
    .unwrap();
    assert!(code.contains("pub mod user {"), "{code}");
    assert!(code.contains("pub use self::user::User;"), "{code}");
    assert!(code.contains("pub mod r#type {"), "{code}");
    assert!(code.contains("pub use self::r#type::Kind;"), "{code}");
    assert!(
        code.contains("const SUBJECT: &'static str = \"User\";"),
        "{code}"
    );
}

/// `schemactl codegen` takes `.json` files as JSON Schema, and any file with `--type json`.
#[cfg(feature = "cli")]
#[test]
fn cli_generates_json_schema_types() {
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/codegen-json-crate/schemas/order.json"
    );
    let out = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("schemactl")
        .unwrap()
        .args(["codegen", schema, "--out"])
        .arg(out.path())
        .assert()
        .success();
    let code = std::fs::read_to_string(out.path().join("schemactl_json.rs")).unwrap();
    assert!(code.contains("pub struct Order {"), "{code}");
    assert!(!out.path().join("schemactl_avro.rs").exists());

    let renamed = out.path().join("order.schema");
    std::fs::copy(schema, &renamed).unwrap();
    let out2 = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("schemactl")
        .unwrap()
        .args(["codegen", "--type", "json", "--out"])
        .arg(out2.path())
        .arg(&renamed)
        .assert()
        .success();
    assert!(out2.path().join("schemactl_json.rs").exists());
}

/// `schemactl codegen` bundles the files a schema's `$ref`s name, and a referenced file that is
/// also given keeps its types in its own module.
#[cfg(feature = "cli")]
#[test]
fn cli_generates_types_for_json_references() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/codegen-json-crate/schemas"
    );
    let out = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("schemactl")
        .unwrap()
        .current_dir(dir)
        .args(["codegen", "customer.json", "address.json", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let code = std::fs::read_to_string(out.path().join("schemactl_json.rs")).unwrap();
    assert!(
        code.contains("pub home: super::address::Address,"),
        "{code}"
    );
    assert_eq!(code.matches("pub struct Address {").count(), 1, "{code}");
}

/// `schemactl codegen -I DIR`: a `$ref` to a file that is not beside its referrer is read from
/// the include directories, as `compat -I` reads it; without `-I` the build fails at the `$ref`.
#[cfg(feature = "cli")]
#[test]
fn cli_reads_json_references_from_include_dirs() {
    let project = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = project.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "shared/address.json",
        r#"{"title": "Address", "type": "object", "properties": {"city": {"type": "string"}}}"#,
    );
    write(
        "orders/order.json",
        r#"{"title": "Order", "type": "object",
            "properties": {"ship_to": {"$ref": "address.json"}}}"#,
    );
    let out = tempfile::tempdir().unwrap();
    let codegen = || {
        let mut command = assert_cmd::Command::cargo_bin("schemactl").unwrap();
        command
            .current_dir(project.path())
            .args(["codegen", "orders/order.json", "--out"])
            .arg(out.path());
        command
    };
    codegen().assert().code(2).stderr(predicates::str::contains(
        "orders/order.json:2:48: cannot resolve \"$ref\" 'address.json'",
    ));
    codegen().args(["-I", "shared"]).assert().success();
    let code = std::fs::read_to_string(out.path().join("schemactl_json.rs")).unwrap();
    assert!(code.contains("pub struct Address {"), "{code}");
    // The registered text of the referenced file travels with the type.
    assert!(code.contains(r#"name: "address.json""#), "{code}");
}
