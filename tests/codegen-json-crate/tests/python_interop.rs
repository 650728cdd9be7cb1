//! JSON frames cross between the generated types and confluent-kafka's Python client: a frame
//! of its `JSONSerializer` decodes (and validates) with ours, ours decodes with its
//! `JSONDeserializer`, and each side refuses a value the other would not write.
//!
//! Needs Python with `confluent-kafka` and `jsonschema`: `bash tests/setup.sh` creates
//! `<repo>/.venv`; `SCHEMACTL_PYTHON` overrides the interpreter.

#[path = "../../python_support/mod.rs"]
mod python_support;
use python_support::{python, repo};

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use schemactl::runtime::json::{self, JsonFrameError};
use schemactl_codegen_json_test::json::{order, Order};
use serde_json::Value;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn order() -> Order {
    Order {
        id: "o-1".into(),
        status: order::Status::Shipped,
        lines: vec![
            order::Line {
                sku: "sku-é".into(),
                price: 12.5,
            },
            order::Line {
                sku: "b".into(),
                price: 0.0,
            },
        ],
        note: Some("fragile".into()),
    }
}

#[test]
fn frames_cross_with_confluent_kafka_python() {
    let value = serde_json::to_string(&order()).unwrap();
    let mut child = Command::new(python())
        .arg(repo().join("tests/interop/codegen_json_frames.py"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/order.json"))
        .arg(&value)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run python");
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || -> Value {
        let line = lines
            .next()
            .expect("codegen_json_frames.py answered (is confluent-kafka installed? `bash tests/setup.sh`)")
            .unwrap();
        serde_json::from_str(&line).unwrap()
    };

    // Theirs → ours: the header is Confluent's, the payload their JSON text, and it validates.
    let theirs = next();
    let id = u32::try_from(theirs["id"].as_u64().unwrap()).unwrap();
    let frame = unhex(theirs["frame"].as_str().unwrap());
    assert_eq!(frame[0], 0);
    assert_eq!(&frame[1..5], &id.to_be_bytes());
    assert_eq!(Order::from_frame(&frame, id).unwrap(), order());

    // Ours → theirs.
    let ours = order().to_frame(id).unwrap();
    writeln!(stdin, "{}", hex(&ours)).unwrap();
    let decoded = next();
    assert_eq!(
        decoded["value"],
        serde_json::to_value(order()).unwrap(),
        "{decoded}"
    );

    // A frame that breaks the schema: their deserializer refuses it, as ours does.
    let bad = json::to_frame(
        &serde_json::json!({"id": "o-1", "status": "lost", "lines": []}),
        id,
    )
    .unwrap();
    writeln!(stdin, "{}", hex(&bad)).unwrap();
    let refused = next();
    assert!(
        refused["error"].as_str().unwrap().contains("lost"),
        "{refused}"
    );
    assert!(matches!(
        Order::from_frame(&bad, id),
        Err(JsonFrameError::Invalid { pointer, .. }) if pointer == "/status"
    ));

    drop(stdin);
    assert!(child.wait().unwrap().success());
}
