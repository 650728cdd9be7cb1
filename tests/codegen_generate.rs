//! Code generation: snapshots of the generated code for a corpus covering every Avro type and
//! the Protobuf message indexes; errors name file and line; unchanged output is not rewritten;
//! the `schemactl codegen` command.
#![cfg(feature = "codegen")]

use std::path::{Path, PathBuf};

use schemactl::codegen::{self, avro::AvroInput, Options, SubjectStrategy};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/codegen-crate/schemas")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/codegen")
}

fn inputs(dir: &Path, names: &[&str]) -> Vec<AvroInput> {
    names
        .iter()
        .map(|n| {
            let mut input = AvroInput::read(&dir.join(n)).unwrap();
            input.source = (*n).to_string();
            input
        })
        .collect()
}

#[test]
fn avro_corpus_snapshot() {
    let code = codegen::avro::generate(
        &inputs(
            &corpus(),
            &[
                "user.avsc",
                "order.avsc",
                "tree.avsc",
                "settings.avsc",
                "heartbeat.avsc",
                "defaults.avsc",
            ],
        ),
        &Options {
            flat_reexports: true,
            ..Options::default()
        },
    )
    .unwrap();
    insta::assert_snapshot!("codegen_avro_corpus", code);
}

#[test]
fn shared_types_are_generated_once() {
    // Two files reference the same type from a third, listed last: order does not matter.
    let code = codegen::avro::generate(
        &inputs(
            &fixtures(),
            &[
                "uses-address-a.avsc",
                "uses-address-b.avsc",
                "shared-address.avsc",
            ],
        ),
        &Options {
            subject_strategy: SubjectStrategy::TopicRecordName {
                topic: "billing".into(),
            },
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(code.matches("pub struct Address").count(), 1);
    let compact: String = code.split_whitespace().collect();
    assert_eq!(
        compact
            .matches(r#"name:"com.acme.shared.Address",subject:"billing-com.acme.shared.Address","#)
            .count(),
        2
    );
    insta::assert_snapshot!("codegen_avro_references", code);
}

#[test]
fn protobuf_snapshot() {
    let code = codegen::protobuf::generate(
        &[corpus().join("order.proto")],
        &[corpus()],
        &Options::default(),
        &mut codegen::protobuf::prost_build::Config::new(),
    )
    .unwrap();
    // The nested message declared after a map<> field is [0, 0]: map entries do not count.
    assert!(code.contains("\"acme.orders.v1.Order.Line\";\n    const MESSAGE_INDEXES: &'static [i32] = &[0i32, 0i32];"));
    insta::assert_snapshot!("codegen_protobuf", code);
}

#[test]
fn invalid_avro_names_file_line_and_message() {
    let err = codegen::avro::generate(&inputs(&fixtures(), &["broken.avsc"]), &Options::default())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("broken.avsc:5:"), "{err}");
    assert!(err.contains("strin"), "{err}");
}

#[test]
fn invalid_protobuf_names_file_and_line() {
    let err = codegen::protobuf::generate(
        &[fixtures().join("broken.proto")],
        &[fixtures()],
        &Options::default(),
        &mut codegen::protobuf::prost_build::Config::new(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("broken.proto:3:"), "{err}");
    assert!(err.contains("strin"), "{err}");
}

#[test]
fn unchanged_output_is_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.rs");
    assert!(codegen::write_if_changed(&path, "a").unwrap());
    assert!(!codegen::write_if_changed(&path, "a").unwrap());
    assert!(codegen::write_if_changed(&path, "b").unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "b");
}

#[test]
fn generating_twice_is_deterministic() {
    let names = ["user.avsc", "order.avsc", "tree.avsc"];
    let a = codegen::avro::generate(&inputs(&corpus(), &names), &Options::default()).unwrap();
    let b = codegen::avro::generate(&inputs(&corpus(), &names), &Options::default()).unwrap();
    assert_eq!(a, b);
}

#[cfg(feature = "cli")]
#[test]
fn cli_writes_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("schemactl")
        .unwrap()
        .arg("codegen")
        .arg(corpus().join("heartbeat.avsc"))
        .arg(corpus().join("order.proto"))
        .arg("--out")
        .arg(dir.path())
        .arg("--subjects")
        .arg("topic:beats")
        .assert()
        .success();
    let avro = std::fs::read_to_string(dir.path().join("schemactl_avro.rs")).unwrap();
    assert!(avro.contains("const SUBJECT: &'static str = \"beats-value\";"));
    assert!(dir.path().join("schemactl_protobuf.rs").exists());

    assert_cmd::Command::cargo_bin("schemactl")
        .unwrap()
        .arg("codegen")
        .arg(fixtures().join("broken.avsc"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("broken.avsc:5:"));
}

/// The benchmark includes generated code checked in under `tests/fixtures/codegen/`; it must
/// be what the generator produces today (`SCHEMACTL_BLESS=1` rewrites it).
#[test]
fn bench_fixture_is_current() {
    let code = codegen::avro::generate(
        &inputs(&fixtures(), &["bench_event.avsc"]),
        &Options::default(),
    )
    .unwrap();
    let path = fixtures().join("bench_event.rs");
    if std::env::var_os("SCHEMACTL_BLESS").is_some() {
        std::fs::write(&path, &code).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == code,
        "{} is stale: run SCHEMACTL_BLESS=1 cargo test --test codegen_generate",
        path.display()
    );
}

/// Under `TopicNameStrategy` every type's subject is the topic's, whose id belongs to the
/// file's top-level type: a nested type must not claim it.
#[test]
fn topic_name_strategy_pins_only_the_top_level_type() {
    let options = Options {
        subject_strategy: SubjectStrategy::TopicName {
            topic: "events".into(),
            key: false,
        },
        pinned_ids: [("events-value".to_string(), 7)].into(),
        ..Options::default()
    };
    let code =
        codegen::avro::generate(&inputs(&fixtures(), &["bench_event.avsc"]), &options).unwrap();
    let compact: String = code.split_whitespace().collect();
    assert_eq!(
        compact
            .matches("constSUBJECT:&'staticstr=\"events-value\"")
            .count(),
        3
    );
    assert_eq!(
        compact.matches("::std::option::Option::Some(7u32)").count(),
        1
    );
    let event = compact.find("AvroTypeforEvent{").unwrap();
    let pinned = compact.find("Some(7u32)").unwrap();
    let next_impl = compact[event + 1..].find("AvroTypefor").unwrap() + event + 1;
    assert!(event < pinned && pinned < next_impl);
}

/// `--ids-from-registry` pins the ids a registry (here an embedded store) holds for the
/// schemas; a schema it lacks is exit 3 naming the file and subject.
#[cfg(feature = "cli")]
#[test]
fn cli_pins_ids_from_a_registry() {
    use schemactl::registry::{local::LocalRegistry, Registry, SchemaDefinition};
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("registry.db");
    let heartbeat = std::fs::read_to_string(corpus().join("heartbeat.avsc")).unwrap();
    // The store's time budget needs the runtime's time driver.
    let id = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let registry = LocalRegistry::open(&store).unwrap();
            registry
                .register("beats-value", &SchemaDefinition::avro(heartbeat), false)
                .await
                .unwrap()
                .id
        });
    let codegen = |file: &str| {
        let mut cmd = assert_cmd::Command::cargo_bin("schemactl").unwrap();
        cmd.arg("codegen")
            .arg(corpus().join(file))
            .arg("--out")
            .arg(dir.path())
            .args(["--subjects", "topic:beats", "--ids-from-registry"])
            .arg(&store);
        cmd.assert()
    };
    codegen("heartbeat.avsc").success();
    let avro = std::fs::read_to_string(dir.path().join("schemactl_avro.rs")).unwrap();
    let compact: String = avro.split_whitespace().collect();
    assert!(
        compact.contains(&format!("Option::Some({id}u32)")),
        "{avro}"
    );

    codegen("settings.avsc")
        .code(3)
        .stderr(predicates::str::contains(
            "settings.avsc: subject beats-value",
        ))
        .stderr(predicates::str::contains("schemactl register"));
}

/// A `.proto` file's imports become its Confluent references (well-known types excluded), with
/// the imported files' texts and their own imports, under Confluent's default subject naming.
#[test]
fn protobuf_imports_become_references() {
    let dir = tempfile::tempdir().unwrap();
    let money = "syntax = \"proto3\";\npackage acme;\nmessage Money { int64 units = 1; }\n";
    let line = "syntax = \"proto3\";\npackage acme;\nimport \"money.proto\";\nmessage Line { Money price = 1; }\n";
    let order = "syntax = \"proto3\";\npackage acme;\nimport \"line.proto\";\nimport \"google/protobuf/timestamp.proto\";\nmessage Order { repeated Line lines = 1; google.protobuf.Timestamp at = 2; }\n";
    for (name, text) in [
        ("money.proto", money),
        ("line.proto", line),
        ("order.proto", order),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let code = codegen::protobuf::generate(
        &[dir.path().join("order.proto")],
        &[dir.path().to_path_buf()],
        &Options::default(),
        &mut codegen::protobuf::prost_build::Config::new(),
    )
    .unwrap();
    let compact: String = code.split_whitespace().collect();
    let order_impl = &compact[compact.find("ProtobufTypeforself::acme::Order{").unwrap()..];
    let order_impl = &order_impl[..order_impl.find("impl").unwrap_or(order_impl.len())];
    let expected: String = format!(
        "constREFERENCES:&'static[::schemactl::runtime::ids::Reference]=&[::schemactl::runtime::ids::Reference{{name:\"line.proto\",subject:\"line.proto\",schema:{:?},references:&[::schemactl::runtime::ids::Reference{{name:\"money.proto\",subject:\"money.proto\",schema:{:?},references:&[],}},],}},];",
        line, money
    )
    .split_whitespace()
    .collect();
    assert!(order_impl.contains(&expected), "{order_impl}");
    assert!(!order_impl.contains("timestamp.proto\",subject"));
}
