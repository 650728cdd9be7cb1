//! One conformance suite, many targets: every case runs against the embedded store directly,
//! through HTTP client → `axum` server → store on an ephemeral loopback port, and through the
//! same with a dialect proxy in between that answers as other registries do (one module per
//! preset and one per single quirk). The store and server must give Confluent Schema Registry's
//! answers; the client must give every caller the same results whichever dialect it talks to.

mod registry_support;

use registry_support::*;
use schemactl::compat::Level;
use schemactl::registry::canonical::avro_canonical_text;
use schemactl::registry::server::ServerOptions;
use schemactl::registry::{
    CompatibilityResult, ErrorKind, Mode, Registration, Registry, SchemaDefinition,
    SchemaReference, SubjectVersion, VersionSpec,
};
use schemactl::schema::SchemaType;

fn avro(text: &str) -> SchemaDefinition {
    SchemaDefinition::avro(text)
}

/// Registered text as read back: the text registered, or (from a registry that normalizes it)
/// a text with the same canonical form.
fn assert_same_text(d: &Dialect, read: &str, registered: &str) {
    if d.has(Quirk::NormalizesText) {
        assert_eq!(avro_canonical_text(read), avro_canonical_text(registered));
    } else {
        assert_eq!(read, registered);
    }
}

/// The code of a lookup of a schema the subject does not hold.
fn lookup_miss_code(d: &Dialect) -> u32 {
    if d.has(Quirk::LookupMiss40401) {
        40401
    } else {
        40403
    }
}

/// The code of a read of a subject's own level or mode when it has none (40408 / 40409).
fn setting_miss_code(d: &Dialect, confluent: u32) -> u32 {
    if d.has(Quirk::ConfigMissingIs404) {
        40401
    } else {
        confluent
    }
}

async fn ids_are_global_and_versions_count_per_subject(r: &dyn Registry, d: &Dialect) {
    let first = r
        .register("orders-value", &avro(RECORD_V1), false)
        .await
        .unwrap();
    assert!(first.created);
    // Over HTTP the register answer has no version (Confluent's has only the id).
    assert!(first.version.is_none_or(|v| v == 1));

    // The same schema again: same id, no new version.
    let again = r
        .register("orders-value", &avro(RECORD_V1), false)
        .await
        .unwrap();
    assert_eq!((again.id, again.created), (first.id, false));
    assert_eq!(r.versions("orders-value", false).await.unwrap(), vec![1]);

    // Whitespace and key order do not make a different schema.
    let spaced = "{ \"namespace\": \"com.example\", \"type\": \"record\", \"name\": \"Order\",\n \"fields\": [ {\"type\": \"long\", \"name\": \"id\"} ] }";
    let same = r
        .register("orders-value", &avro(spaced), false)
        .await
        .unwrap();
    assert_eq!((same.id, same.created), (first.id, false));

    // The same schema in another subject: same id, that subject's version 1.
    let other = r
        .register("archive-value", &avro(RECORD_V1), false)
        .await
        .unwrap();
    assert_eq!(other.id, first.id);
    assert!(other.created);
    let record = r
        .version("archive-value", VersionSpec::Latest, false)
        .await
        .unwrap();
    assert_eq!((record.version, record.id), (1, first.id));

    // A new schema: a new id and the subject's next version.
    let second = r
        .register("orders-value", &avro(RECORD_V2), false)
        .await
        .unwrap();
    assert_ne!(second.id, first.id);
    assert_eq!(r.versions("orders-value", false).await.unwrap(), vec![1, 2]);

    assert_eq!(
        r.id_versions(first.id, false).await.unwrap(),
        vec![
            SubjectVersion {
                subject: "archive-value".into(),
                version: 1
            },
            SubjectVersion {
                subject: "orders-value".into(),
                version: 1
            },
        ]
    );
    assert_eq!(
        r.id_subjects(first.id, false).await.unwrap(),
        vec!["archive-value".to_string(), "orders-value".to_string()]
    );
    assert_eq!(
        r.subjects(None, false).await.unwrap(),
        vec!["archive-value".to_string(), "orders-value".to_string()]
    );
    assert_eq!(
        r.subjects(Some("ord"), false).await.unwrap(),
        vec!["orders-value".to_string()]
    );

    let by_id = r.schema_by_id(second.id).await.unwrap();
    assert_same_text(d, &by_id.schema, RECORD_V2);
    assert_eq!(by_id.schema_type, SchemaType::Avro);
    assert!(by_id.references.is_empty());
}

async fn versions_and_not_found_errors(r: &dyn Registry, d: &Dialect) {
    r.register("s", &avro(RECORD_V1), false).await.unwrap();
    let v2 = r.register("s", &avro(RECORD_V2), false).await.unwrap();
    let latest = r.version("s", VersionSpec::Latest, false).await.unwrap();
    assert_eq!(
        (latest.subject.as_str(), latest.version, latest.id),
        ("s", 2, v2.id)
    );
    assert_same_text(d, &latest.schema, RECORD_V2);
    assert_same_text(
        d,
        &r.version("s", 1.into(), false).await.unwrap().schema,
        RECORD_V1,
    );

    assert_eq!(code(r.version("s", 9.into(), false).await), 40402);
    assert_eq!(code(r.version("nope", 1.into(), false).await), 40401);
    assert_eq!(code(r.versions("nope", false).await), 40401);
    assert_eq!(code(r.schema_by_id(9999).await), 40403);
    assert_eq!(code(r.id_versions(9999, false).await), 40403);
}

async fn lookup_finds_the_version_holding_a_schema(r: &dyn Registry, d: &Dialect) {
    let reg = r.register("s", &avro(RECORD_V1), false).await.unwrap();
    r.register("s", &avro(RECORD_V2), false).await.unwrap();
    let found = r.lookup("s", &avro(RECORD_V1), false, false).await.unwrap();
    assert_eq!((found.version, found.id), (1, reg.id));
    assert_eq!(
        code(r.lookup("s", &avro(RECORD_BAD), false, false).await),
        lookup_miss_code(d)
    );
    assert_eq!(
        code(r.lookup("nope", &avro(RECORD_V1), false, false).await),
        40401
    );
}

async fn compatibility_is_enforced_at_registration(r: &dyn Registry, d: &Dialect) {
    r.register("s", &avro(RECORD_V1), false).await.unwrap();
    let err = r.register("s", &avro(RECORD_BAD), false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Incompatible, "{err}");
    assert_eq!(err.http_status(), 409);
    if !d.conflict_without_details() {
        assert!(
            err.to_string()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
            "{err}"
        );
    }
    // A refused registration leaves no trace: no version, no id.
    assert_eq!(r.versions("s", false).await.unwrap(), vec![1]);
    assert_eq!(
        code(r.lookup("s", &avro(RECORD_BAD), false, false).await),
        lookup_miss_code(d)
    );
    assert_eq!(code(r.schema_by_id(2).await), 40403);

    let verdict = r
        .test_compatibility("s", Some(VersionSpec::Latest), &avro(RECORD_BAD), true)
        .await
        .unwrap();
    assert!(!verdict.is_compatible);
    assert!(
        d.has(Quirk::NoVerboseMessages)
            || verdict
                .messages
                .iter()
                .any(|m| m.contains("READER_FIELD_MISSING_DEFAULT_VALUE"))
    );
    let verdict = r
        .test_compatibility("s", None, &avro(RECORD_V2), true)
        .await
        .unwrap();
    assert!(verdict.is_compatible);
    assert!(verdict.messages.is_empty());

    // Under NONE anything goes.
    r.set_config(Some("s"), Level::None).await.unwrap();
    let ok = r.register("s", &avro(RECORD_BAD), false).await.unwrap();
    assert!(ok.created);
    assert_eq!(r.versions("s", false).await.unwrap(), vec![1, 2]);
}

async fn transitive_levels_check_every_version(r: &dyn Registry, _d: &Dialect) {
    r.set_config(Some("s"), Level::None).await.unwrap();
    r.register("s", &avro(RECORD_V1), false).await.unwrap();
    r.register("s", &avro(RECORD_BAD), false).await.unwrap();
    r.set_config(Some("s"), Level::Backward).await.unwrap();
    // Against version 1 only: the new required field breaks.
    let v1 = r
        .test_compatibility("s", Some(1.into()), &avro(RECORD_BAD), false)
        .await
        .unwrap();
    assert!(!v1.is_compatible);
    let v2 = r
        .test_compatibility("s", Some(2.into()), &avro(RECORD_BAD), false)
        .await
        .unwrap();
    assert!(v2.is_compatible);
    // BACKWARD (latest only) accepts RECORD_BAD again; BACKWARD_TRANSITIVE does not (v1).
    assert!(
        r.test_compatibility("s", None, &avro(RECORD_BAD), false)
            .await
            .unwrap()
            .is_compatible
    );
    r.set_config(Some("s"), Level::BackwardTransitive)
        .await
        .unwrap();
    assert!(
        !r.test_compatibility("s", None, &avro(RECORD_BAD), false)
            .await
            .unwrap()
            .is_compatible
    );
}

async fn compatibility_of_an_empty_subject(r: &dyn Registry, _d: &Dialect) {
    let all = r
        .test_compatibility("fresh", None, &avro(RECORD_V1), false)
        .await
        .unwrap();
    assert!(all.is_compatible);
    let latest = r
        .test_compatibility("fresh", Some(VersionSpec::Latest), &avro(RECORD_V1), false)
        .await
        .unwrap();
    assert!(latest.is_compatible);
    assert_eq!(
        code(
            r.test_compatibility("fresh", Some(1.into()), &avro(RECORD_V1), false)
                .await
        ),
        40401
    );
}

async fn global_and_subject_config(r: &dyn Registry, d: &Dialect) {
    assert_eq!(r.config(None, false).await.unwrap(), Level::Backward);
    assert_eq!(r.set_config(None, Level::Full).await.unwrap(), Level::Full);
    assert_eq!(r.config(None, false).await.unwrap(), Level::Full);
    assert_eq!(
        code(r.config(Some("s"), false).await),
        setting_miss_code(d, 40408)
    );
    assert_eq!(r.config(Some("s"), true).await.unwrap(), Level::Full);
    r.set_config(Some("s"), Level::ForwardTransitive)
        .await
        .unwrap();
    assert_eq!(
        r.config(Some("s"), false).await.unwrap(),
        Level::ForwardTransitive
    );
    assert_eq!(
        r.delete_config(Some("s")).await.unwrap(),
        Level::ForwardTransitive
    );
    assert_eq!(
        code(r.config(Some("s"), false).await),
        setting_miss_code(d, 40408)
    );
    assert_eq!(r.delete_config(None).await.unwrap(), Level::Full);
    assert_eq!(r.config(None, false).await.unwrap(), Level::Backward);

    // The global level is what a subject without its own level enforces.
    r.set_config(None, Level::None).await.unwrap();
    r.register("s", &avro(RECORD_V1), false).await.unwrap();
    r.register("s", &avro(RECORD_BAD), false).await.unwrap();
    // A subject with versions but no level of its own also falls back to the global level.
    assert_eq!(
        code(r.config(Some("s"), false).await),
        setting_miss_code(d, 40408)
    );
    assert_eq!(r.config(Some("s"), true).await.unwrap(), Level::None);
}

async fn soft_then_permanent_deletes(r: &dyn Registry, d: &Dialect) {
    let v1 = r.register("s", &avro(RECORD_V1), false).await.unwrap();
    r.register("s", &avro(RECORD_V2), false).await.unwrap();

    assert_eq!(code(r.delete_version("s", 1.into(), true).await), 40407);
    assert_eq!(r.delete_version("s", 1.into(), false).await.unwrap(), 1);
    assert_eq!(code(r.delete_version("s", 1.into(), false).await), 40406);
    assert_eq!(r.versions("s", false).await.unwrap(), vec![2]);
    assert_eq!(r.versions("s", true).await.unwrap(), vec![1, 2]);
    assert_eq!(code(r.version("s", 1.into(), false).await), 40402);
    assert_eq!(r.version("s", 1.into(), true).await.unwrap().id, v1.id);
    // A soft-deleted schema is still readable by id.
    assert_same_text(d, &r.schema_by_id(v1.id).await.unwrap().schema, RECORD_V1);
    assert_eq!(r.id_versions(v1.id, false).await.unwrap(), vec![]);
    assert_eq!(r.id_versions(v1.id, true).await.unwrap().len(), 1);
    assert_eq!(r.delete_version("s", 1.into(), true).await.unwrap(), 1);
    assert_eq!(r.versions("s", true).await.unwrap(), vec![2]);
    // No version holds the schema any more (by id, clients may still answer from their cache).
    assert_eq!(code(r.id_versions(v1.id, true).await), 40403);

    // Version numbers are not reused: the next registration is 3.
    let v3 = r.register("s", &avro(RECORD_V1), false).await.unwrap();
    assert!(v3.created);
    assert_eq!(r.versions("s", false).await.unwrap(), vec![2, 3]);
    // Re-registering a permanently deleted schema gives back its id.
    assert_eq!(v3.id, v1.id);

    assert_eq!(code(r.delete_subject("s", true).await), 40405);
    assert_eq!(r.delete_subject("s", false).await.unwrap(), vec![2, 3]);
    assert_eq!(code(r.delete_subject("s", false).await), 40404);
    assert_eq!(code(r.versions("s", false).await), 40401);
    assert!(r.subjects(None, false).await.unwrap().is_empty());
    assert_eq!(r.subjects(None, true).await.unwrap(), vec!["s".to_string()]);
    assert_eq!(r.delete_subject("s", true).await.unwrap(), vec![2, 3]);
    assert!(r.subjects(None, true).await.unwrap().is_empty());
    assert_eq!(code(r.delete_subject("s", false).await), 40401);
}

async fn references_must_exist_and_block_deletes(r: &dyn Registry, _d: &Dialect) {
    let address = r#"{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}]}"#;
    let person = r#"{"type":"record","name":"Person","namespace":"com.example","fields":[{"name":"home","type":"com.example.Address"}]}"#;
    let addr = r.register("address", &avro(address), false).await.unwrap();
    let reference = SchemaReference {
        name: "com.example.Address".into(),
        subject: "address".into(),
        version: 1,
    };
    let def = avro(person).with_references(vec![reference.clone()]);
    let p = r.register("person", &def, false).await.unwrap();
    assert_ne!(p.id, addr.id);
    // Without its reference the schema does not parse.
    assert_eq!(
        code(r.register("person2", &avro(person), false).await),
        42201
    );
    // A reference to a version that does not exist is invalid too.
    let missing = avro(person).with_references(vec![SchemaReference {
        version: 7,
        ..reference.clone()
    }]);
    assert_eq!(code(r.register("person3", &missing, false).await), 42201);

    let by_id = r.schema_by_id(p.id).await.unwrap();
    assert_eq!(by_id.references, vec![reference.clone()]);
    let latest = r
        .version("person", VersionSpec::Latest, false)
        .await
        .unwrap();
    assert_eq!(latest.references, vec![reference]);
    assert_eq!(
        r.referenced_by("address", 1.into()).await.unwrap(),
        vec![p.id]
    );
    assert_eq!(
        r.lookup("person", &def, false, false).await.unwrap().id,
        p.id
    );

    assert_eq!(
        code(r.delete_version("address", 1.into(), false).await),
        42206
    );
    assert_eq!(code(r.delete_subject("address", false).await), 42206);
    // Once the referrer is gone, the referenced version can go.
    r.delete_subject("person", false).await.unwrap();
    assert!(r
        .referenced_by("address", 1.into())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(r.delete_subject("address", false).await.unwrap(), vec![1]);
    assert_eq!(code(r.delete_subject("address", true).await), 42206);
    r.delete_subject("person", true).await.unwrap();
    r.delete_subject("address", true).await.unwrap();
}

async fn invalid_schemas_are_refused(r: &dyn Registry, _d: &Dialect) {
    assert_eq!(
        code(r.register("s", &avro("{not json"), false).await),
        42201
    );
    let bad_default =
        r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int","default":"one"}]}"#;
    let err = r
        .register("s", &avro(bad_default), false)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidSchema, "{err}");
    assert!(err.is_bad_input());
    assert_eq!(code(r.versions("s", false).await), 40401);
}

async fn modes(r: &dyn Registry, d: &Dialect) {
    assert_eq!(r.mode(None, false).await.unwrap(), Mode::ReadWrite);
    r.register("s", &avro(RECORD_V1), false).await.unwrap();
    assert_eq!(
        r.set_mode(Some("s"), Mode::ReadOnly).await.unwrap(),
        Mode::ReadOnly
    );
    assert_eq!(r.mode(Some("s"), false).await.unwrap(), Mode::ReadOnly);
    assert_eq!(code(r.register("s", &avro(RECORD_V2), false).await), 42205);
    assert_eq!(
        code(r.mode(Some("other"), false).await),
        setting_miss_code(d, 40409)
    );
    assert_eq!(r.mode(Some("other"), true).await.unwrap(), Mode::ReadWrite);
    r.set_mode(Some("s"), Mode::ReadWrite).await.unwrap();
    r.register("s", &avro(RECORD_V2), false).await.unwrap();
}

async fn schema_types(r: &dyn Registry, _d: &Dialect) {
    let types = r.schema_types().await.unwrap();
    assert!(types.contains(&"AVRO".to_string()));
    assert!(types.contains(&"PROTOBUF".to_string()));
    assert!(types.contains(&"JSON".to_string()));
}

/// The walk a schema type other than Avro takes through `subject`: `v1` registered, `v1_spaced`
/// (another text of it) the same schema, `v1` as Avro text invalid, `bad` refused (its verdict
/// incompatible and its registration an Incompatible error), then `v2` a new version and the
/// latest. Returns v1's registration and `bad`'s verdict, for the type's own assertions.
async fn evolve(
    r: &dyn Registry,
    subject: &str,
    ty: SchemaType,
    [v1, v1_spaced, v2, bad]: [&str; 4],
) -> (Registration, CompatibilityResult) {
    let schema = |text: &str| SchemaDefinition::new(ty, text);
    let first = r.register(subject, &schema(v1), false).await.unwrap();
    let same = r
        .register(subject, &schema(v1_spaced), false)
        .await
        .unwrap();
    assert_eq!((same.id, same.created), (first.id, false));
    let by_id = r.schema_by_id(first.id).await.unwrap();
    assert_eq!(by_id.schema_type, ty);
    assert_eq!(by_id.schema, v1);
    // The same text as an Avro schema is a different (and here invalid) schema.
    assert_eq!(code(r.register(subject, &avro(v1), false).await), 42201);

    let verdict = r
        .test_compatibility(subject, None, &schema(bad), true)
        .await
        .unwrap();
    assert!(!verdict.is_compatible, "{verdict:?}");
    let err = r.register(subject, &schema(bad), false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Incompatible, "{err}");
    let second = r.register(subject, &schema(v2), false).await.unwrap();
    assert!(second.created);
    let latest = r
        .version(subject, VersionSpec::Latest, false)
        .await
        .unwrap();
    assert_eq!((latest.id, latest.schema_type), (second.id, ty));
    (first, verdict)
}

const PROTO_V1: &str =
    "syntax = \"proto3\";\npackage shop;\n\nmessage Order {\n  int64 id = 1;\n}\n";
/// PROTO_V1 with comments and another layout: the same schema.
const PROTO_V1_SPACED: &str =
    "// orders\nsyntax = \"proto3\";\npackage shop;\nmessage Order { int64 id = 1; /* key */ }";
const PROTO_V2: &str =
    "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  int64 id = 1;\n  string note = 2;\n}\n";
/// PROTO_V1 with the field's scalar kind changed: incompatible.
const PROTO_BAD: &str =
    "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  string id = 1;\n}\n";

fn proto(text: &str) -> SchemaDefinition {
    SchemaDefinition::new(SchemaType::Protobuf, text)
}

async fn protobuf_schemas(r: &dyn Registry, d: &Dialect) {
    let (_, verdict) = evolve(
        r,
        "orders-proto",
        SchemaType::Protobuf,
        [PROTO_V1, PROTO_V1_SPACED, PROTO_V2, PROTO_BAD],
    )
    .await;
    assert!(
        d.has(Quirk::NoVerboseMessages)
            || verdict
                .messages
                .iter()
                .any(|m| m.contains("FIELD_SCALAR_KIND_CHANGED")),
        "{verdict:?}"
    );
    assert_eq!(r.versions("orders-proto", false).await.unwrap(), vec![1, 2]);
    assert_eq!(
        code(r.register("orders-proto", &proto("message {"), false).await),
        42201
    );

    // References are imports, named by their import path.
    let common = "syntax = \"proto3\";\npackage shop;\nmessage Money { int64 cents = 1; }\n";
    let invoice = "syntax = \"proto3\";\npackage shop;\nimport \"shop/common.proto\";\nmessage Invoice { Money total = 1; }\n";
    r.register("shop-common", &proto(common), false)
        .await
        .unwrap();
    assert_eq!(
        code(r.register("invoice", &proto(invoice), false).await),
        42201
    );
    let reference = SchemaReference {
        name: "shop/common.proto".into(),
        subject: "shop-common".into(),
        version: 1,
    };
    let inv = r
        .register(
            "invoice",
            &proto(invoice).with_references(vec![reference]),
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        r.referenced_by("shop-common", 1.into()).await.unwrap(),
        vec![inv.id]
    );
}

const JSON_V1: &str =
    r#"{"type":"object","properties":{"id":{"type":"integer"}},"required":["id"]}"#;
/// JSON_V1 with another layout and key order: the same schema.
const JSON_V1_SPACED: &str =
    "{\n  \"required\": [\"id\"],\n  \"properties\": { \"id\": { \"type\": \"integer\" } },\n  \"type\": \"object\"\n}";
/// JSON_V1 with a description: a different schema, compatible.
const JSON_V2: &str = r#"{"type":"object","description":"an order","properties":{"id":{"type":"integer"}},"required":["id"]}"#;
/// The root type changed: incompatible.
const JSON_BAD: &str = r#"{"type":"array","items":{"type":"integer"}}"#;

fn json_schema(text: &str) -> SchemaDefinition {
    SchemaDefinition::new(SchemaType::Json, text)
}

async fn json_schemas(r: &dyn Registry, d: &Dialect) {
    let (v1, verdict) = evolve(
        r,
        "orders-json",
        SchemaType::Json,
        [JSON_V1, JSON_V1_SPACED, JSON_V2, JSON_BAD],
    )
    .await;
    assert!(
        d.has(Quirk::NoVerboseMessages) || !verdict.messages.is_empty(),
        "{verdict:?}"
    );
    let found = r
        .lookup("orders-json", &json_schema(JSON_V1_SPACED), false, false)
        .await
        .unwrap();
    assert_eq!((found.id, found.version), (v1.id, 1));
    assert_eq!(
        code(
            r.register("orders-json", &json_schema("{\"type\": "), false)
                .await
        ),
        42201
    );
    assert_eq!(
        code(r.register("orders-json", &json_schema("42"), false).await),
        42201
    );

    // A Confluent reference: a `$ref` to the reference's name.
    let address = r#"{"type":"object","properties":{"city":{"type":"string"}}}"#;
    let customer = r#"{"type":"object","properties":{"address":{"$ref":"address.json"}}}"#;
    r.register("address-json", &json_schema(address), false)
        .await
        .unwrap();
    let reference = SchemaReference {
        name: "address.json".into(),
        subject: "address-json".into(),
        version: 1,
    };
    let with_ref = json_schema(customer).with_references(vec![reference]);
    let cust = r.register("customer-json", &with_ref, false).await.unwrap();
    let read = r
        .version("customer-json", VersionSpec::Latest, false)
        .await
        .unwrap();
    assert_eq!(read.schema_type, SchemaType::Json);
    assert_eq!(read.references.len(), 1);
    assert_eq!(read.references[0].name, "address.json");
    assert_eq!(
        r.referenced_by("address-json", 1.into()).await.unwrap(),
        vec![cust.id]
    );
    // Registered again with the same reference: the same schema.
    let again = r.register("customer-json", &with_ref, false).await.unwrap();
    assert_eq!((again.id, again.created), (cust.id, false));
}

/// Subject names with characters that are reserved in URLs, or that servers decode differently
/// (`+` as a space): every route that takes a subject round-trips them.
const AWKWARD_SUBJECTS: [&str; 9] = [
    "c++-events",
    "with space",
    "a/b",
    "100%",
    "what?",
    "hash#tag",
    "ctx:name",
    "événements-ü",
    "plus+and space",
];

async fn awkward_subject_names_round_trip(r: &dyn Registry, _d: &Dialect) {
    for name in AWKWARD_SUBJECTS {
        let reg = r.register(name, &avro(RECORD_V1), false).await.unwrap();
        assert!(reg.created, "{name}");
        assert_eq!(r.versions(name, false).await.unwrap(), vec![1], "{name}");
        let latest = r.version(name, VersionSpec::Latest, false).await.unwrap();
        assert_eq!((latest.subject.as_str(), latest.id), (name, reg.id));
        let found = r
            .lookup(name, &avro(RECORD_V1), false, false)
            .await
            .unwrap();
        assert_eq!((found.subject.as_str(), found.version), (name, 1));
        let again = r.register(name, &avro(RECORD_V1), false).await.unwrap();
        assert!(!again.created, "{name}");
        assert!(
            r.test_compatibility(name, None, &avro(RECORD_V2), false)
                .await
                .unwrap()
                .is_compatible
        );
        r.set_config(Some(name), Level::Full).await.unwrap();
        assert_eq!(r.config(Some(name), false).await.unwrap(), Level::Full);
        r.set_mode(Some(name), Mode::ReadWrite).await.unwrap();
        assert_eq!(r.mode(Some(name), true).await.unwrap(), Mode::ReadWrite);
        assert_eq!(
            r.referenced_by(name, 1.into()).await.unwrap(),
            Vec::<u32>::new()
        );
    }
    let mut expected: Vec<String> = AWKWARD_SUBJECTS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(r.subjects(None, false).await.unwrap(), expected);
    assert_eq!(
        r.subjects(Some("c+"), false).await.unwrap(),
        vec!["c++-events".to_string()]
    );
    let id = r.version("a/b", 1.into(), false).await.unwrap().id;
    assert_eq!(r.id_subjects(id, false).await.unwrap(), expected);
    assert_eq!(r.delete_version("100%", 1.into(), false).await.unwrap(), 1);
    assert_eq!(r.delete_subject("hash#tag", false).await.unwrap(), vec![1]);
    assert_eq!(code(r.versions("hash#tag", false).await), 40401);
    assert_eq!(code(r.versions("c  -events", false).await), 40401);
}

/// The client sends subjects with every character outside RFC 3986's unreserved set
/// percent-encoded, on every route that takes one.
#[tokio::test]
async fn subjects_are_sent_with_only_unreserved_characters() {
    let proxy = DialectProxy::start(Dialect::confluent()).await;
    let r = proxy.client();
    let name = "c++ events/é:%?#";
    let encoded = "c%2B%2B%20events%2F%C3%A9%3A%25%3F%23";
    r.register(name, &avro(RECORD_V1), false).await.unwrap();
    r.version(name, VersionSpec::Latest, false).await.unwrap();
    r.versions(name, false).await.unwrap();
    r.test_compatibility(name, None, &avro(RECORD_V2), true)
        .await
        .unwrap();
    r.set_config(Some(name), Level::Full).await.unwrap();
    r.config(Some(name), true).await.unwrap();
    r.mode(Some(name), true).await.unwrap();
    r.referenced_by(name, 1.into()).await.unwrap();
    r.delete_version(name, 1.into(), false).await.unwrap();
    // Refused (permanent before soft delete) or not: only the path matters here.
    let _ = r.delete_subject(name, true).await;
    let sent = proxy.requests();
    let expected = [
        format!("POST /subjects/{encoded}"),
        format!("POST /subjects/{encoded}/versions"),
        format!("GET /subjects/{encoded}/versions/latest"),
        format!("GET /subjects/{encoded}/versions"),
        format!("POST /compatibility/subjects/{encoded}/versions?verbose=true"),
        format!("PUT /config/{encoded}"),
        format!("GET /config/{encoded}?defaultToGlobal=true"),
        format!("GET /mode/{encoded}?defaultToGlobal=true"),
        format!("GET /subjects/{encoded}/versions/1/referencedby"),
        format!("DELETE /subjects/{encoded}/versions/1"),
        format!("DELETE /subjects/{encoded}?permanent=true"),
    ];
    assert_eq!(sent, expected);
    proxy.stop().await;
}

/// Without client-side encoding of `+`, a registry that decodes it as a space registers
/// `c++-events` as `c  -events`.
#[tokio::test]
async fn plus_survives_a_registry_that_decodes_it_as_space() {
    let proxy = DialectProxy::start(Dialect::only(Quirk::PlusDecodedAsSpace)).await;
    let r = proxy.client();
    r.register("c++-events", &avro(RECORD_V1), false)
        .await
        .unwrap();
    assert_eq!(
        proxy.server.store.subjects(None, false).await.unwrap(),
        vec!["c++-events".to_string()]
    );
    proxy.stop().await;
}

macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod local {
            $(
                #[tokio::test]
                async fn $case() {
                    let (store, _dir) = super::local_store();
                    super::$case(&*store, &super::Dialect::confluent()).await;
                }
            )*
        }
        mod http {
            $(
                #[tokio::test]
                async fn $case() {
                    let server = super::TestServer::start(super::ServerOptions::default()).await;
                    let client = server.client();
                    super::$case(&client, &super::Dialect::confluent()).await;
                    server.stop().await;
                }
            )*
        }
        through_dialect!(confluent, Dialect::confluent(), $($case),*);
        through_dialect!(karapace_like, Dialect::karapace_like(), $($case),*);
        through_dialect!(redpanda_like, Dialect::redpanda_like(), $($case),*);
        through_dialect!(apicurio_like, Dialect::apicurio_like(), $($case),*);
        through_dialect!(issue_10, Dialect::issue_10(), $($case),*);
        through_dialect!(config_missing_is_404, Dialect::only(Quirk::ConfigMissingIs404), $($case),*);
        through_dialect!(ignores_subject_prefix, Dialect::only(Quirk::IgnoresSubjectPrefix), $($case),*);
        through_dialect!(plus_decoded_as_space, Dialect::only(Quirk::PlusDecodedAsSpace), $($case),*);
        through_dialect!(normalizes_text, Dialect::only(Quirk::NormalizesText), $($case),*);
        through_dialect!(no_verbose_messages, Dialect::only(Quirk::NoVerboseMessages), $($case),*);
        through_dialect!(id_subjects_404, Dialect::only(Quirk::IdSubjects404), $($case),*);
        through_dialect!(conflict_409, Dialect::only(Quirk::Conflict409), $($case),*);
        through_dialect!(conflict_40901, Dialect::only(Quirk::Conflict40901), $($case),*);
        through_dialect!(conflict_plain, Dialect::only(Quirk::ConflictPlain), $($case),*);
        through_dialect!(lookup_miss_40401, Dialect::only(Quirk::LookupMiss40401), $($case),*);
        through_dialect!(error_detail_field, Dialect::only(Quirk::ErrorDetailField), $($case),*);
    };
}

/// The cases through the dialect proxy: client → proxy imitating a registry → server → store.
macro_rules! through_dialect {
    ($module:ident, $dialect:expr, $($case:ident),*) => {
        mod $module {
            use super::*;
            $(
                #[tokio::test]
                async fn $case() {
                    let proxy = DialectProxy::start($dialect).await;
                    let client = proxy.client();
                    super::$case(&client, &proxy.dialect).await;
                    proxy.stop().await;
                }
            )*
        }
    };
}

conformance!(
    ids_are_global_and_versions_count_per_subject,
    versions_and_not_found_errors,
    lookup_finds_the_version_holding_a_schema,
    compatibility_is_enforced_at_registration,
    transitive_levels_check_every_version,
    compatibility_of_an_empty_subject,
    global_and_subject_config,
    soft_then_permanent_deletes,
    references_must_exist_and_block_deletes,
    invalid_schemas_are_refused,
    modes,
    schema_types,
    protobuf_schemas,
    json_schemas,
    awkward_subject_names_round_trip,
);
