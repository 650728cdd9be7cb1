//! Code generation that cannot be silently wrong: one full name defined differently by two
//! files is an error whatever the input order; 17-digit double defaults stay exact (in the
//! generated `Default`, the resolver's defaults and the registry's identity key); flat
//! re-exports never shadow a root-namespace type.
#![cfg(feature = "codegen")]

use std::path::{Path, PathBuf};

use schemactl::codegen::{self, avro::AvroInput, CodegenError, Options};

fn schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// Inputs named `schemas/<name>`, as a user passes them from the repository root.
fn inputs(names: &[&str]) -> Vec<AvroInput> {
    names
        .iter()
        .map(|n| {
            let mut input = AvroInput::read(&schemas().join(n)).unwrap();
            input.source = format!("schemas/{n}");
            input
        })
        .collect()
}

fn text(source: &str, text: &str) -> AvroInput {
    AvroInput {
        source: source.to_string(),
        text: text.to_string(),
    }
}

/// Every order of `items` (Heap's algorithm).
fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    let mut items = items.to_vec();
    let mut out = vec![items.clone()];
    let mut c = vec![0; items.len()];
    let mut i = 1;
    while i < items.len() {
        if c[i] < i {
            items.swap(if i % 2 == 0 { 0 } else { c[i] }, i);
            out.push(items.clone());
            c[i] += 1;
            i = 1;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    out
}

#[test]
fn a_name_defined_differently_is_an_error_in_every_order() {
    let files = [
        "address.avsc",
        "customer.avsc",
        "user-v2-breaking.avsc",
        "user.avsc",
    ];
    let orders = permutations(&files);
    assert_eq!(orders.len(), 24);
    for order in orders {
        let err = codegen::avro::generate(&inputs(&order), &Options::default()).unwrap_err();
        assert!(
            matches!(err, CodegenError::Conflict { .. }),
            "{order:?}: {err}"
        );
        assert_eq!(
            err.to_string(),
            "type 'com.example.users.User' is defined differently in \
             schemas/user-v2-breaking.avsc:1:1 and schemas/user.avsc:1:1",
            "{order:?}"
        );
    }
}

#[test]
fn a_nested_conflict_names_both_lines() {
    let a = "{\"type\": \"record\", \"name\": \"A\", \"fields\": [\n  {\"name\": \"e\", \"type\":\n    {\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"X\"]}}\n]}\n";
    let b = "{\"type\": \"record\", \"name\": \"B\", \"fields\": [\n  {\"name\": \"x\", \"type\": \"int\"},\n  {\"name\": \"e\", \"type\":\n    {\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"X\", \"Y\"]}}\n]}\n";
    for order in [
        [text("b.avsc", b), text("a.avsc", a)],
        [text("a.avsc", a), text("b.avsc", b)],
    ] {
        let err = codegen::avro::generate(&order, &Options::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "type 'E' is defined differently in a.avsc:3:5 and b.avsc:4:5"
        );
    }
    // A different default changes the generated `Default`: also a conflict.
    let c = a.replace("[\"X\"]}", "[\"X\"], \"default\": \"X\"}");
    let err = codegen::avro::generate(
        &[text("a.avsc", a), text("c.avsc", &c)],
        &Options::default(),
    )
    .unwrap_err();
    assert!(matches!(err, CodegenError::Conflict { .. }), "{err}");
}

#[test]
fn identical_definitions_are_generated_once() {
    let user = std::fs::read_to_string(schemas().join("user.avsc")).unwrap();
    let address = std::fs::read_to_string(schemas().join("address.avsc")).unwrap();
    // The same text under two paths, and a dependent file after both copies of its reference.
    let mut all = inputs(&["user.avsc", "customer.avsc", "address.avsc"]);
    all.push(text("copy/user.avsc", &user));
    all.push(text("copy/address.avsc", &address));
    for order in permutations(&all) {
        let code = codegen::avro::generate(&order, &Options::default()).unwrap();
        assert_eq!(code.matches("pub struct User ").count(), 1);
        assert_eq!(code.matches("pub struct Address ").count(), 1);
        assert_eq!(code.matches("pub struct Customer ").count(), 1);
    }
}

/// Doubles whose shortest decimal form has 17 digits, or that sit at the edges of the range:
/// a parser that is not correctly rounded gets some of them 1 ULP off.
const HARD_DOUBLES: &[&str] = &[
    "0.46497813895536644",
    "0.30000000000000004",
    "2.2250738585072014e-308",
    "2.2250738585072009e-308",
    "4.9406564584124654e-324",
    "1.7976931348623157e308",
    "9007199254740993",
    "0.1000000000000000055511151231257827",
    "1.00000000000000011102230246251565404236316680908203125",
    "8.41e21",
    "5.0000000000000011e-1",
    "7.1098002018825205e-3",
];

fn with_double_default(default: &str) -> String {
    format!(
        r#"{{"type":"record","name":"D","fields":[{{"name":"d","type":"double","default":{default}}}]}}"#
    )
}

#[test]
fn double_defaults_are_exact_in_generated_code() {
    for s in HARD_DOUBLES {
        let exact: f64 = s.parse().unwrap();
        let code = codegen::avro::generate(
            &[text("d.avsc", &with_double_default(s))],
            &Options::default(),
        )
        .unwrap();
        let literal = proc_macro2::Literal::f64_suffixed(exact).to_string();
        assert!(code.contains(&format!("d: {literal}")), "{s}: {code}");
    }
}

#[test]
fn double_defaults_are_exact_in_resolution() {
    use schemactl::runtime::{avro::write_double, resolve::transcode};
    use schemactl::schema::avro::parse;
    let writer = parse("w", r#"{"type":"record","name":"D","fields":[]}"#).unwrap();
    for s in HARD_DOUBLES {
        let exact: f64 = s.parse().unwrap();
        let reader = parse("r", &with_double_default(s)).unwrap();
        let mut want = Vec::new();
        write_double(&mut want, exact);
        assert_eq!(transcode(&writer, &reader, &[]).unwrap(), want, "{s}");
    }
}

/// Two schemas whose defaults differ by 1 ULP are different schemas to the registry.
#[cfg(feature = "registry")]
#[test]
fn double_defaults_are_exact_in_the_registry_identity() {
    use schemactl::registry::canonical::avro_canonical_text;
    // An integer stays an integer in the JSON, exactly.
    for s in HARD_DOUBLES.iter().filter(|s| s.parse::<u64>().is_err()) {
        let exact: f64 = s.parse().unwrap();
        let canonical = avro_canonical_text(&with_double_default(s));
        let shown = serde_json::to_string(&exact).unwrap();
        assert!(canonical.contains(&format!(":{shown}")), "{s}: {canonical}");
    }
    let a = avro_canonical_text(&with_double_default("0.46497813895536644"));
    let b = avro_canonical_text(&with_double_default("0.46497813895536638"));
    assert_ne!(a, b);
}

#[test]
fn flat_reexports_keep_a_root_type_and_warn_about_the_namespaced_one() {
    let root = r#"{"type":"record","name":"Event","fields":[{"name":"a","type":"int"}]}"#;
    let nested = r#"{"type":"record","name":"Event","namespace":"com.acme","fields":[{"name":"b","type":"int"}]}"#;
    let other = r#"{"type":"record","name":"Other","namespace":"com.acme","fields":[]}"#;
    let options = Options {
        flat_reexports: true,
        ..Options::default()
    };
    let (code, warnings) = codegen::avro::generate_with_warnings(
        &[
            text("nested.avsc", nested),
            text("root.avsc", root),
            text("other.avsc", other),
        ],
        &options,
    )
    .unwrap();
    assert!(!code.contains("pub use self::com::acme::Event;"), "{code}");
    assert!(code.contains("pub use self::com::acme::Other;"), "{code}");
    assert_eq!(
        warnings,
        [
            "flat re-exports: `com::acme::Event` is not re-exported at the root, where `Event` \
          already has its name; use it as `com::acme::Event`"
        ]
    );
}

#[test]
fn an_upper_case_uuid_default_keeps_its_text() {
    let schema = r#"{"type":"record","name":"U","fields":[{"name":"u","type":{"type":"string","logicalType":"uuid"},"default":"123E4567-E89B-12D3-A456-426614174000"}]}"#;
    let code = codegen::avro::generate(&[text("u.avsc", schema)], &Options::default()).unwrap();
    let compact: String = code.split_whitespace().collect();
    assert!(
        compact.contains("Uuid::from_checked_text(*b\"123E4567-E89B-12D3-A456-426614174000\",)"),
        "{code}"
    );
}

#[cfg(feature = "cli")]
#[test]
fn cli_reports_a_conflict_with_both_paths() {
    assert_cmd::Command::cargo_bin("schemactl")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "codegen",
            "schemas/address.avsc",
            "schemas/customer.avsc",
            "schemas/user-v2-breaking.avsc",
            "schemas/user.avsc",
            "--out",
        ])
        .arg(tempfile::tempdir().unwrap().path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "type 'com.example.users.User' is defined differently in \
             schemas/user-v2-breaking.avsc:1:1 and schemas/user.avsc:1:1",
        ));
}

/// README's `schemactl codegen` example, as shown (with the output in a temporary folder).
#[cfg(feature = "cli")]
#[test]
fn cli_readme_example_generates_one_user() {
    let out = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("schemactl")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "codegen",
            "schemas/user.avsc",
            "schemas/address.avsc",
            "schemas/customer.avsc",
            "schemas/order.proto",
            "-I",
            "schemas",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let avro = std::fs::read_to_string(out.path().join("schemactl_avro.rs")).unwrap();
    // user.avsc's `id` is a long; user-v2-breaking.avsc's a string.
    assert!(avro.contains("pub id: i64,"), "{avro}");
    assert!(out.path().join("schemactl_protobuf.rs").exists());
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/codegen-crate/schemas")
}

/// `*&self.id` is clippy's `deref_addrof`: generated code must not need an `allow`.
#[test]
fn generated_avro_takes_no_reference_to_deref_it() {
    let names = [
        "user.avsc",
        "order.avsc",
        "tree.avsc",
        "settings.avsc",
        "heartbeat.avsc",
        "defaults.avsc",
    ];
    let all: Vec<AvroInput> = names
        .iter()
        .map(|n| AvroInput::read(&corpus().join(n)).unwrap())
        .collect();
    let code = codegen::avro::generate(&all, &Options::default()).unwrap();
    assert!(!code.contains("*&"), "{code}");
}

/// The Protobuf output is formatted as the Avro output is (prettyplease): formatting it again
/// changes nothing.
#[test]
fn generated_protobuf_is_formatted_like_avro() {
    let code = codegen::protobuf::generate(
        &[corpus().join("order.proto")],
        &[corpus()],
        &Options::default(),
        &mut codegen::protobuf::prost_build::Config::new(),
    )
    .unwrap();
    let body = &code[code.find("\n\n").unwrap() + 2..];
    let again = prettyplease::unparse(&syn::parse_file(body).unwrap());
    assert_eq!(body, again);
}
