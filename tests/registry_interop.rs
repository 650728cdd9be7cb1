//! Interop with a real third-party client: confluent-kafka's Python `SchemaRegistryClient`,
//! `AvroSerializer`/`AvroDeserializer` and `ProtobufSerializer`/`ProtobufDeserializer` run
//! unmodified against the server; the answers they
//! got are checked here against the registry itself, and their frames are decoded.
//!
//! Needs Python with the packages of `tests/interop/requirements-registry.txt` (`bash
//! tests/setup.sh` installs them into `.venv/`). The interpreter is `SCHEMACTL_PYTHON`, else
//! `.venv/bin/python` when present, else `python3`. Fails, with install instructions, if missing.

mod registry_support;

use std::process::Command;

use registry_support::*;
use schemactl::compat::Level;
use schemactl::registry::server::ServerOptions;
use schemactl::registry::{Registry, VersionSpec};
use schemactl::schema::SchemaType;
use serde_json::{json, Value};

const INSTALL: &str = "bash tests/setup.sh   (or: python3 -m venv .venv && .venv/bin/pip install -r tests/interop/requirements-registry.txt; SCHEMACTL_PYTHON overrides the interpreter)";

fn python() -> String {
    if let Ok(p) = std::env::var("SCHEMACTL_PYTHON") {
        return p;
    }
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/.venv/bin/python");
    if std::path::Path::new(venv).exists() {
        venv.to_string()
    } else {
        "python3".to_string()
    }
}

/// Runs the interop script against `url` (blocking: it is a child process).
fn run_script(url: &str) -> Value {
    let python = python();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/interop/registry_interop.py"
    );
    let probe = Command::new(&python)
        .args([
            "-c",
            "import confluent_kafka.schema_registry.avro, confluent_kafka.schema_registry.protobuf, fastavro, httpx, google.protobuf",
        ])
        .output();
    match probe {
        Err(e) => {
            panic!("cannot run {python} ({e}); install the interop client with:\n  {INSTALL}")
        }
        Ok(o) if !o.status.success() => panic!(
            "{python} lacks the confluent-kafka client:\n{}\ninstall it with:\n  {INSTALL}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Ok(_) => {}
    }
    let output = Command::new(&python)
        .arg(script)
        .arg(url)
        .output()
        .expect("run interop script");
    assert!(
        output.status.success(),
        "interop script failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("script prints JSON")
}

/// Decodes a Confluent frame: magic byte 0, big-endian schema id, then the Avro datum.
fn frame(hex: &str) -> (u32, Vec<u8>) {
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    assert_eq!(bytes[0], 0, "magic byte");
    let id = u32::from_be_bytes(bytes[1..5].try_into().unwrap());
    (id, bytes[5..].to_vec())
}

/// Reads an Avro zig-zag varint long; returns it and the bytes read.
fn avro_long(bytes: &[u8]) -> (i64, usize) {
    let (mut value, mut shift, mut i) = (0u64, 0, 0);
    loop {
        let b = bytes[i];
        value |= u64::from(b & 0x7f) << shift;
        i += 1;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    (((value >> 1) as i64) ^ -((value & 1) as i64), i)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confluent_kafka_python_client_works_unmodified() {
    let server = TestServer::start(ServerOptions::default()).await;
    let url = server.url.clone();
    let out = tokio::task::spawn_blocking(move || run_script(&url))
        .await
        .unwrap();
    let r = server.client();

    // What the registry holds after the script: V1 was registered by the serializer as
    // version 1, V2 explicitly as version 2, then the subject was soft-deleted.
    let v1 = r
        .version("orders-value", VersionSpec::Number(1), true)
        .await
        .unwrap();
    let v2 = r
        .version("orders-value", VersionSpec::Number(2), true)
        .await
        .unwrap();
    assert_eq!(r.versions("orders-value", true).await.unwrap(), vec![1, 2]);
    assert_eq!(out["id_v2"], json!(v2.id));
    assert_eq!(out["id_v2_again"], json!(v2.id));
    assert_eq!(
        out["lookup_v1"],
        json!({"id": v1.id, "version": 1, "subject": "orders-value"})
    );
    assert_eq!(out["latest"], json!({"id": v2.id, "version": 2}));
    assert_eq!(out["version_1_id"], json!(v1.id));
    assert_eq!(out["versions"], json!([1, 2]));
    assert_eq!(out["subjects"], json!(["orders-value"]));
    assert_eq!(
        serde_json::from_str::<Value>(out["schema_by_id_v2"].as_str().unwrap()).unwrap(),
        serde_json::from_str::<Value>(&v2.schema).unwrap()
    );

    // Compatibility answers and error codes as Confluent gives them.
    assert_eq!(out["compatible_bad"], json!(false));
    assert_eq!(out["compatible_v2_all"], json!(true));
    assert_eq!(
        out["register_bad"],
        json!({"http_status": 409, "error_code": 409})
    );
    assert_eq!(
        out["missing_subject"],
        json!({"http_status": 404, "error_code": 40401})
    );
    assert_eq!(
        out["missing_id"],
        json!({"http_status": 404, "error_code": 40403})
    );
    assert_eq!(out["compatibility"], json!("FULL"));
    assert_eq!(out["global_compatibility"], json!("BACKWARD"));
    assert_eq!(
        r.config(Some("orders-value"), false).await.unwrap(),
        Level::Full
    );

    // Frames carry the registry's ids and decode to what was written.
    let (id, datum) = frame(out["frame_v1"].as_str().unwrap());
    assert_eq!(id, v1.id);
    assert_eq!(avro_long(&datum), (42, datum.len()));
    let (id, datum) = frame(out["frame_v2"].as_str().unwrap());
    assert_eq!(id, v2.id);
    let (order_id, used) = avro_long(&datum);
    let (len, used2) = avro_long(&datum[used..]);
    assert_eq!(order_id, 7);
    assert_eq!(&datum[used + used2..], b"hi");
    assert_eq!(len, 2);
    assert_eq!(out["decoded_v1"], json!({"id": 42}));
    assert_eq!(out["decoded_v2"], json!({"id": 7, "note": "hi"}));

    // Protobuf: the serializer registered a base64 descriptor, stored as `.proto` text.
    let pb = r
        .version("orders-pb-value", VersionSpec::Latest, false)
        .await
        .unwrap();
    assert_eq!(pb.schema_type, SchemaType::Protobuf);
    assert!(pb.schema.contains("message Order"), "{}", pb.schema);
    assert_eq!(
        out["pb_latest"],
        json!({"id": pb.id, "version": 1, "type": "PROTOBUF"})
    );
    assert_eq!(out["pb_frame_again"], out["pb_frame"]);
    let (id, payload) = frame(out["pb_frame"].as_str().unwrap());
    assert_eq!(id, pb.id);
    // Message indexes [0] as a single 0, then id = 5 (field 1, varint), note = "x" (field 2).
    assert_eq!(payload, [0x00, 0x08, 0x05, 0x12, 0x01, b'x']);
    assert_eq!(out["pb_decoded"], json!({"id": 5, "note": "x"}));

    // JSON Schema with a reference: registered, found again and served as JSON.
    let customer = r
        .version("customers-json-value", VersionSpec::Latest, false)
        .await
        .unwrap();
    assert_eq!(customer.schema_type, SchemaType::Json);
    assert_eq!(out["json_customer_id"], json!(customer.id));
    assert_eq!(out["json_customer_again"], json!(customer.id));
    assert_ne!(out["json_address_id"], json!(customer.id));
    assert_eq!(
        out["json_lookup"],
        json!({"id": customer.id, "version": 1, "type": "JSON",
               "references": [{"name": "address.json", "subject": "address-json", "version": 1}]})
    );
    assert_eq!(out["json_latest"]["type"], "JSON");
    assert_eq!(out["json_latest"]["schema"], json!(customer.schema));
    assert_eq!(out["json_by_id_type"], "JSON");
    assert_eq!(out["json_compatible_array"], json!(false));

    assert_eq!(out["deleted_versions"], json!([1, 2]));
    assert_eq!(
        out["subjects_after_delete"],
        json!(["address-json", "customers-json-value", "orders-pb-value"])
    );
    server.stop().await;
}
