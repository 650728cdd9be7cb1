//! Protobuf frames of the generated types equal the bytes of confluent-kafka's Python
//! `ProtobufSerializer` for the same messages, including a nested message declared after a
//! `map<>` field (whose Confluent index path is `[0, 0]`).
//!
//! Needs Python with `confluent-kafka` and `protobuf`: `bash tests/setup.sh` creates
//! `<repo>/.venv`; `SCHEMACTL_PYTHON` overrides the interpreter.

#[path = "../../python_support/mod.rs"]
mod python_support;
use python_support::run_script;

use std::collections::BTreeMap;
use std::path::Path;

use prost::Message;
use schemactl::runtime::protobuf::{from_frame, split_frame, to_frame, ProtobufType};
use schemactl_codegen_test::proto::acme::orders::v1::{order, refund, Order, Refund};

fn python_frames() -> BTreeMap<String, Vec<u8>> {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut compiler = protox::Compiler::new([&schemas]).unwrap();
    compiler.open_file("order.proto").unwrap();
    let fds = compiler.file_descriptor_set().encode_to_vec();
    let dir = tempfile::tempdir().unwrap();
    let fds_path = dir.path().join("fds.bin");
    std::fs::write(&fds_path, fds).unwrap();
    let out = run_script("codegen_protobuf_frames.py", &[&fds_path]);
    let map: BTreeMap<String, String> = serde_json::from_slice(&out).unwrap();
    map.into_iter()
        .map(|(k, hex)| {
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect();
            (k, bytes)
        })
        .collect()
}

fn check<M: ProtobufType + Message + Default + PartialEq + std::fmt::Debug>(
    frames: &BTreeMap<String, Vec<u8>>,
    msg: &M,
) {
    let theirs = &frames[M::FULL_NAME];
    let (id, indexes, _) = split_frame(theirs).unwrap();
    assert_eq!(indexes, M::MESSAGE_INDEXES, "{}", M::FULL_NAME);
    assert_eq!(&to_frame(msg, id), theirs, "{}", M::FULL_NAME);
    assert_eq!(&from_frame::<M>(theirs, id).unwrap(), msg);
}

#[test]
fn frames_match_confluent_kafka_python() {
    let frames = python_frames();
    let mut order = Order {
        id: "o-1".into(),
        blob: vec![0, 255],
        lines: vec![order::Line {
            sku: "s".into(),
            qty: 2,
        }],
        ..Default::default()
    };
    order.counts.insert("a".into(), 3);
    check(&frames, &order);
    // A nested message declared after a map<> field: confluent-kafka's Python serializer counts
    // the synthesized map-entry message and writes [0, 1]; Confluent's Java serializers (and
    // the issue) skip map entries and write [0, 0], which the generated code follows. The
    // message bytes agree; only the index path differs, so pin both facts here.
    let line = order::Line {
        sku: "s".into(),
        qty: 2,
    };
    let theirs = &frames[order::Line::FULL_NAME];
    let (id, indexes, message) = split_frame(theirs).unwrap();
    assert_eq!(
        indexes,
        [0, 1],
        "confluent-kafka (Python) counts map entries"
    );
    assert_eq!(order::Line::MESSAGE_INDEXES, &[0, 0]);
    assert_eq!(message, line.encode_to_vec());
    let ours = to_frame(&line, id);
    assert_eq!(&ours[..5], &theirs[..5]);
    assert_eq!(split_frame(&ours).unwrap().2, message);
    check(
        &frames,
        &Refund {
            order_id: "o-1".into(),
            ..Default::default()
        },
    );
    check(
        &frames,
        &refund::reason::Detail {
            text: "late".into(),
        },
    );
}

#[test]
fn indexes_follow_confluent() {
    assert_eq!(Order::MESSAGE_INDEXES, &[0]);
    assert_eq!(order::Line::MESSAGE_INDEXES, &[0, 0]);
    assert_eq!(Refund::MESSAGE_INDEXES, &[1]);
    assert_eq!(refund::reason::Detail::MESSAGE_INDEXES, &[1, 0, 0]);
    assert_eq!(Order::SCHEMA_ID, Some(201));
    // [0] is a single zero byte after the header.
    assert_eq!(to_frame(&Order::default(), 9), [0, 0, 0, 0, 9, 0]);
}
