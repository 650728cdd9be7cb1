//! `Config::from_project`: the example project (an Avro reference, a Protobuf import registered
//! under another subject than its import path, topic naming) registered with
//! `schemactl register -c` into a registry served over HTTP on loopback, then generated from the
//! same `schemactl.toml` with every id pinned in one build.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use schemactl::registry::local::LocalRegistry;
use schemactl::registry::{Registry, VersionSpec};
use schemactl_build::{registry, Config};

mod support;
use support::{constant, pinned, subject};

const AVRO: &str = "::schemactl::runtime::avro::AvroType";
const PROTO: &str = "::schemactl::runtime::protobuf::ProtobufType";
const JSON: &str = "::schemactl::runtime::json::JsonType";

/// Every subject the registry holds, with the id of its latest version.
fn registered(served: &support::Served, store: &LocalRegistry) -> BTreeMap<String, u32> {
    served.runtime.block_on(async {
        let mut ids = BTreeMap::new();
        for s in store.subjects(None, false).await.unwrap() {
            let record = store.version(&s, VersionSpec::Latest, false).await.unwrap();
            ids.insert(s, record.id);
        }
        ids
    })
}

fn generate(config: &Path, url: &str, out: &Path) -> (String, String, String) {
    Config::from_project(config)
        .unwrap()
        .pin_ids_from(registry(url))
        .out_dir(out)
        .cargo_directives(false)
        .compile()
        .unwrap();
    let read = |f| std::fs::read_to_string(out.join(f)).unwrap();
    (
        read(schemactl_build::AVRO_FILE),
        read(schemactl_build::PROTOBUF_FILE),
        read(schemactl_build::JSON_FILE),
    )
}

#[test]
fn the_example_project_pins_every_id_in_one_build() {
    let project = support::example_project();
    let config = project.path().join("schemas/schemactl.toml");
    let store = Arc::new(LocalRegistry::in_memory().unwrap());
    let (served, ()) = support::serve(store.clone(), |_| async {});
    support::register(&config, &served.url);
    let ids = registered(&served, &store);
    let expected = [
        "com.example.common.Address",
        "customers-value",
        "orders-value",
        "payments-value",
        "shop/common/money.proto",
        "users-value",
    ];
    assert_eq!(ids.keys().collect::<Vec<_>>(), expected);

    let out = tempfile::tempdir().unwrap();
    let (avro, proto, json) = generate(&config, &served.url, out.path());
    // The JSON Schema subject's root type, whatever name typify gives it.
    let payment = json
        .split(&format!("{JSON} for "))
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a JsonType impl")
        .to_string();
    // Each type carries the subject `register` used and that subject's id.
    for (code, trait_name, type_name, subject_name) in [
        (&avro, AVRO, "User", "users-value"),
        (&avro, AVRO, "Address", "com.example.common.Address"),
        (&avro, AVRO, "Customer", "customers-value"),
        (&json, JSON, payment.as_str(), "payments-value"),
        (&proto, PROTO, "self::shop::orders::Order", "orders-value"),
        (
            &proto,
            PROTO,
            "self::shop::common::Money",
            "shop/common/money.proto",
        ),
    ] {
        assert_eq!(subject(code, trait_name, type_name), subject_name);
        assert_eq!(
            pinned(code, trait_name, type_name),
            Some(ids[subject_name]),
            "{type_name}"
        );
    }
    // A second message of `order.proto` shares the topic's subject: not its id.
    let line_item = "self::shop::orders::LineItem";
    assert_eq!(subject(&proto, PROTO, line_item), "orders-value");
    assert_eq!(pinned(&proto, PROTO, line_item), None);
    // References name the subjects the project registered them under, not the referrer's
    // topic or the import path.
    let customer = constant(&avro, AVRO, "Customer", "REFERENCES");
    assert!(
        customer
            .contains(r#"name:"com.example.common.Address",subject:"com.example.common.Address""#),
        "{customer}"
    );
    let order = constant(&proto, PROTO, "self::shop::orders::Order", "REFERENCES");
    assert!(
        order.contains(r#"name:"common/money.proto",subject:"shop/common/money.proto""#),
        "{order}"
    );
}

#[test]
fn a_project_register_refuses_fails_with_the_same_message() {
    let project = support::example_project();
    let config = project.path().join("schemas/schemactl.toml");
    // Without the subject for `common/money.proto`, `order.proto`'s import is unaccounted for.
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "[[subject]]\nname = \"shop/common/money.proto\"\nschema = \"common/money.proto\"\n",
        "",
    );
    std::fs::write(&config, text).unwrap();
    let err = Config::from_project(&config)
        .err()
        .expect("an error")
        .to_string();
    assert!(
        err.contains("import 'common/money.proto' is neither a subject of"),
        "{err}"
    );
}

#[test]
fn an_invalid_config_names_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("schemactl.toml");
    std::fs::write(
        &config,
        "[[subject]]\ntopic = \"t\"\nschema = \"a.avsc\"\nlevl = \"FULL\"\n",
    )
    .unwrap();
    let err = Config::from_project(&config).err().expect("an error");
    let shown = format!("{err}");
    assert!(
        shown.starts_with(&format!("{}:4:1: unknown field `levl`", config.display())),
        "{shown}"
    );
    // `Debug` is the message too, as `main() -> Result<(), Box<dyn Error>>` prints it.
    assert_eq!(format!("{err:?}"), shown);
    let missing = Config::from_project(dir.path().join("nope.toml"))
        .err()
        .expect("an error")
        .to_string();
    assert!(missing.contains("nope.toml: cannot read"), "{missing}");
}

/// A JSON Schema subject whose `$ref` names another subject's file through a configured
/// reference: the referrer's type uses the referenced subject's type, lists the reference under
/// the subject the project gives it, and pins the id `register` got (the registry matches the
/// schema with its references).
#[test]
fn json_references_generate_once_and_pin_with_their_subjects() {
    json_reference_named("address.json");
}

/// A reference name that is no file name (here a URL) reaches the subject's file through the
/// project config.
#[test]
fn a_json_reference_named_by_a_url_reaches_its_subject_s_file() {
    json_reference_named("https://schemas.example.com/address.json");
}

fn json_reference_named(name: &str) {
    let project = tempfile::tempdir().unwrap();
    let write = |f: &str, t: &str| std::fs::write(project.path().join(f), t).unwrap();
    write(
        "schemactl.toml",
        &format!(
            r#"[[subject]]
topic = "customers"
schema = "customer.json"
references = [{{ name = "{name}", subject = "postal-address" }}]

[[subject]]
name = "postal-address"
schema = "address.json"
"#
        ),
    );
    write(
        "customer.json",
        &format!(
            r#"{{"title": "Customer", "type": "object",
  "properties": {{"id": {{"type": "string"}}, "home": {{"$ref": "{name}"}}}},
  "required": ["id", "home"]}}"#
        ),
    );
    write(
        "address.json",
        r#"{"title": "Address", "type": "object", "properties": {"city": {"type": "string"}}}"#,
    );
    let config = project.path().join("schemactl.toml");
    let store = Arc::new(LocalRegistry::in_memory().unwrap());
    let (served, ()) = support::serve(store.clone(), |_| async {});
    support::register(&config, &served.url);
    let ids = registered(&served, &store);

    let out = tempfile::tempdir().unwrap();
    Config::from_project(&config)
        .unwrap()
        .pin_ids_from(registry(served.url.as_str()))
        .out_dir(out.path())
        .cargo_directives(false)
        .compile()
        .unwrap();
    let json = std::fs::read_to_string(out.path().join(schemactl_build::JSON_FILE)).unwrap();
    assert!(
        json.contains("pub home: super::address::Address,"),
        "{json}"
    );
    assert_eq!(json.matches("pub struct Address {").count(), 1, "{json}");
    assert_eq!(subject(&json, JSON, "Customer"), "customers-value");
    assert_eq!(
        pinned(&json, JSON, "Customer"),
        Some(ids["customers-value"])
    );
    assert_eq!(pinned(&json, JSON, "Address"), Some(ids["postal-address"]));
    let references = constant(&json, JSON, "Customer", "REFERENCES");
    assert!(
        references.contains(&format!(r#"name:"{name}",subject:"postal-address""#)),
        "{references}"
    );
}
