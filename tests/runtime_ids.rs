//! `runtime::ids::SchemaIds` against `registry serve` (in-process, on loopback), the embedded
//! store and a scripted registry: an id per schema, not per subject; an unknown id told from a
//! registry that cannot be asked; the type of a registered schema.

mod registry_support;
mod scripted_registry;

use registry_support::{client, TestServer, RECORD_V1, RECORD_V2};
use schemactl::registry::http::HttpOptions;
use schemactl::registry::local::LocalRegistry;
use schemactl::registry::server::ServerOptions;
use schemactl::runtime::ids::{IdError, IdStrategy, SchemaIds, SchemaText};
use scripted_registry::{Reply, ScriptedRegistry};

fn avro(schema: &str) -> SchemaText<'_> {
    SchemaText {
        schema_type: "AVRO",
        schema,
        references: &[],
    }
}

const PAYMENT: &str =
    "syntax = \"proto3\";\npackage shop;\n\nmessage Payment {\n  string id = 1;\n}\n";

/// One `SchemaIds` for versions 1 and 2 of a subject: each version is registered under its
/// own id (the cache once held one id per subject, so version 2 was never registered and its
/// frames carried version 1's id; `examples/producer`'s tests check the frames).
#[tokio::test]
async fn each_version_of_a_subject_gets_its_own_id() {
    let server = TestServer::start(ServerOptions::default()).await;
    let ids = SchemaIds::from_registry(
        client(&server.url, HttpOptions::default()),
        IdStrategy::AutoRegister,
    );
    let v1 = ids.id_for("orders-value", avro(RECORD_V1)).await.unwrap();
    let v2 = ids.id_for("orders-value", avro(RECORD_V2)).await.unwrap();
    assert_ne!(v1, v2);
    // From the cache, still each its own.
    assert_eq!(ids.id_for("orders-value", avro(RECORD_V1)).await, Ok(v1));
    assert_eq!(ids.id_for("orders-value", avro(RECORD_V2)).await, Ok(v2));
    // Both are registered: a lookup-only `SchemaIds` finds each.
    let lookup = SchemaIds::from_registry(
        client(&server.url, HttpOptions::default()),
        IdStrategy::Lookup,
    );
    assert_eq!(lookup.id_for("orders-value", avro(RECORD_V1)).await, Ok(v1));
    assert_eq!(lookup.id_for("orders-value", avro(RECORD_V2)).await, Ok(v2));
    server.stop().await;
}

/// `registry serve`: an id it does not have is `UnknownId`; a registry that does not answer
/// is `Registry`. A registered schema comes with its type.
#[tokio::test]
async fn unknown_ids_and_outages_differ_and_schemas_carry_their_type() {
    let server = TestServer::start(ServerOptions::default()).await;
    let url = server.url.clone();
    let ids = SchemaIds::from_registry(
        client(&url, HttpOptions::default()),
        IdStrategy::AutoRegister,
    );
    let avro_id = ids.id_for("orders-value", avro(RECORD_V1)).await.unwrap();
    let proto = SchemaText {
        schema_type: "PROTOBUF",
        schema: PAYMENT,
        references: &[],
    };
    let proto_id = ids.id_for("payments-value", proto).await.unwrap();
    assert_eq!(ids.schema(avro_id).await.unwrap().schema_type, "AVRO");
    assert_eq!(ids.schema(proto_id).await.unwrap().schema_type, "PROTOBUF");
    assert_eq!(
        ids.schema(9999).await.unwrap_err(),
        IdError::UnknownId(9999)
    );
    server.stop().await;

    let down = SchemaIds::from_registry(client(&url, HttpOptions::default()), IdStrategy::Lookup);
    assert!(matches!(down.schema(9999).await, Err(IdError::Registry(_))));
}

/// The embedded store answers an unknown id as the server does.
#[tokio::test]
async fn the_embedded_store_reports_unknown_ids() {
    let store = LocalRegistry::in_memory().unwrap();
    let ids = SchemaIds::from_registry(store, IdStrategy::AutoRegister);
    let id = ids.id_for("orders-value", avro(RECORD_V1)).await.unwrap();
    assert_eq!(ids.schema(id).await.unwrap().schema_type, "AVRO");
    assert_eq!(
        ids.schema(id + 1).await.unwrap_err(),
        IdError::UnknownId(id + 1)
    );
}

/// Another registry's answers: 404 with Confluent's 40403 is an unknown id; a server error or a
/// bare 404 (a proxy, a wrong base URL: nothing about the id) is a registry error; a schema
/// without `schemaType` is Avro, as Confluent leaves it out for Avro.
#[tokio::test]
async fn scripted_answers_map_to_unknown_id_registry_error_and_type() {
    let not_found = r#"{"error_code":40403,"message":"Schema 7 not found"}"#;
    let registry = ScriptedRegistry::start(vec![
        ("GET /schemas/ids/7", Reply::json(404, not_found)),
        (
            "GET /schemas/ids/8",
            Reply::json(500, r#"{"error_code":50001,"message":"store down"}"#),
        ),
        ("GET /schemas/ids/9", Reply::text(404, "Not Found")),
        (
            "GET /schemas/ids/10",
            Reply::json(200, r#"{"schema":"\"long\""}"#),
        ),
        (
            "GET /schemas/ids/11",
            Reply::json(
                200,
                serde_json::json!({"schemaType": "PROTOBUF", "schema": PAYMENT}).to_string(),
            ),
        ),
    ]);
    let ids = SchemaIds::from_registry(
        client(&registry.url, HttpOptions::default()),
        IdStrategy::Lookup,
    );
    assert_eq!(ids.schema(7).await.unwrap_err(), IdError::UnknownId(7));
    assert!(matches!(ids.schema(8).await, Err(IdError::Registry(_))));
    assert!(matches!(ids.schema(9).await, Err(IdError::Registry(_))));
    assert_eq!(ids.schema(10).await.unwrap().schema_type, "AVRO");
    assert_eq!(ids.schema(11).await.unwrap().schema_type, "PROTOBUF");
}
