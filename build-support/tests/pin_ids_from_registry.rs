//! `.pin_ids_from(registry(url))`: ids looked up over real HTTP in `registry serve`'s server,
//! on 127.0.0.1 with an ephemeral port, at build time.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemactl::registry::local::LocalRegistry;
use schemactl::registry::{Registry, SchemaDefinition, SchemaReference};
use schemactl_build::{registry, Config};

mod support;
use support::pinned;

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/codegen-crate/schemas")
        .join(name)
}

const PING_PROTO: &str = r#"syntax = "proto3";
package acme;
message Ping { string id = 1; }
message Pong { string id = 1; }
"#;

/// A registry server over an in-memory store, with `com.acme.User`, the `Order` that
/// references it, and the `acme.Ping` Protobuf file registered. The runtime keeps serving
/// while the test builds.
struct Served {
    url: String,
    ids: Vec<u32>,
    _runtime: tokio::runtime::Runtime,
}

fn serve() -> Served {
    let store = Arc::new(LocalRegistry::in_memory().unwrap());
    let (served, ids) = support::serve(store, |store| async move {
        let text = |n| std::fs::read_to_string(corpus(n)).unwrap();
        let user = store
            .register(
                "com.acme.User",
                &SchemaDefinition::avro(text("user.avsc")),
                false,
            )
            .await
            .unwrap();
        let order =
            SchemaDefinition::avro(text("order.avsc")).with_references(vec![SchemaReference {
                name: "com.acme.User".into(),
                subject: "com.acme.User".into(),
                version: 1,
            }]);
        let order = store
            .register("com.acme.orders.Order", &order, false)
            .await
            .unwrap();
        let ping = SchemaDefinition::new(schemactl::schema::SchemaType::Protobuf, PING_PROTO);
        let ping = store.register("acme.Ping", &ping, false).await.unwrap();
        vec![user.id, order.id, ping.id]
    });
    Served {
        url: served.url,
        ids,
        _runtime: served.runtime,
    }
}

fn build(url: &str, avro: &[&str], out: &Path) -> Result<Vec<PathBuf>, schemactl_build::Error> {
    let proto_dir = out.join("proto");
    std::fs::create_dir_all(&proto_dir).unwrap();
    std::fs::write(proto_dir.join("ping.proto"), PING_PROTO).unwrap();
    Config::new()
        .avro(avro.iter().map(|n| corpus(n)))
        .protobuf([proto_dir.join("ping.proto")], [&proto_dir])
        .pin_ids_from(registry(url))
        .out_dir(out)
        .cargo_directives(false)
        .compile()
}

#[test]
fn registered_schemas_get_their_ids_pinned() {
    let served = serve();
    let out = tempfile::tempdir().unwrap();
    build(&served.url, &["user.avsc", "order.avsc"], out.path()).unwrap();
    let avro = std::fs::read_to_string(out.path().join(schemactl_build::AVRO_FILE)).unwrap();
    let avro_type = "::schemactl::runtime::avro::AvroType";
    assert_eq!(pinned(&avro, avro_type, "User"), Some(served.ids[0]));
    assert_eq!(pinned(&avro, avro_type, "Order"), Some(served.ids[1]));
    // Nested types are not registered under their own subjects: left unpinned, no error.
    assert_eq!(pinned(&avro, avro_type, "LineItem"), None);
    let proto = std::fs::read_to_string(out.path().join(schemactl_build::PROTOBUF_FILE)).unwrap();
    let proto_type = "::schemactl::runtime::protobuf::ProtobufType";
    assert_eq!(
        pinned(&proto, proto_type, "self::acme::Ping"),
        Some(served.ids[2])
    );
    assert_eq!(pinned(&proto, proto_type, "self::acme::Pong"), None);
}

#[test]
fn an_explicit_id_wins_over_the_registry() {
    let served = serve();
    let out = tempfile::tempdir().unwrap();
    Config::new()
        .avro([corpus("user.avsc")])
        .pin_ids_from(registry(&served.url))
        .schema_id("com.acme.User", 4242)
        .out_dir(out.path())
        .cargo_directives(false)
        .compile()
        .unwrap();
    let avro = std::fs::read_to_string(out.path().join(schemactl_build::AVRO_FILE)).unwrap();
    assert_eq!(
        pinned(&avro, "::schemactl::runtime::avro::AvroType", "User"),
        Some(4242)
    );
}

#[test]
fn an_unregistered_schema_fails_the_build_naming_file_and_subject() {
    let served = serve();
    let out = tempfile::tempdir().unwrap();
    let err = build(&served.url, &["user.avsc", "tree.avsc"], out.path())
        .unwrap_err()
        .to_string();
    assert!(err.contains("tree.avsc"), "{err}");
    assert!(err.contains("com.acme.tree.Node"), "{err}");
    assert!(err.contains("schemactl register"), "{err}");
    assert!(!out.path().join(schemactl_build::AVRO_FILE).exists());
}

#[test]
fn an_unreachable_registry_fails_without_showing_credentials() {
    // Bind then drop: nothing listens on this port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://builder:s3cret@127.0.0.1:{port}");
    let out = tempfile::tempdir().unwrap();
    let err = build(&url, &["user.avsc"], out.path()).unwrap_err();
    let shown = format!("{err} {err:?} {:?}", registry(&url));
    assert!(shown.contains("127.0.0.1"), "{shown}");
    assert!(!shown.contains("s3cret"), "{shown}");
}
