//! Frames written by confluent-kafka's Python `AvroSerializer` (schema versions 1 and 2) and
//! `ProtobufSerializer`, sent by its `Producer` to the mock cluster, read through the consumer
//! path: Python's registrations on `registry serve` give the writer schemas.
//!
//! Needs Python with `confluent-kafka`: `bash tests/setup.sh` creates `<repo>/.venv`;
//! `SCHEMACTL_PYTHON` overrides the interpreter.

mod common;

#[path = "../../../tests/python_support/mod.rs"]
mod python_support;
use python_support::{repo, run_script};

use std::sync::Arc;

use common::{cluster, ServedRegistry};
use prost::Message as _;
use rdkafka::consumer::Consumer;
use schemactl_example_consumer::lookup::consumer_ids;
use schemactl_example_consumer::schemas::com::example::shop::Order;
use schemactl_example_consumer::schemas::example::shop::Payment;
use schemactl_example_consumer::{consumer, run, AvroFrames, ProtobufFrames, Stats};
use schemactl_example_producer::producer;

/// Runs tests/interop/kafka_frames.py against the cluster and registry.
fn python_produces(brokers: &str, registry: &str) {
    let schemas = repo().join("examples/schemas");
    let mut compiler = protox::Compiler::new([&schemas]).unwrap();
    compiler.open_file("payment.proto").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fds = dir.path().join("payment.fds");
    std::fs::write(&fds, compiler.file_descriptor_set().encode_to_vec()).unwrap();
    let out = run_script(
        "kafka_frames.py",
        &[
            &brokers,
            &registry,
            &schemas.join("order-v1.avsc"),
            &schemas.join("order.avsc"),
            &fds,
        ],
    );
    let sent: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(sent, serde_json::json!({"orders": 2, "payments": 1}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frames_from_confluent_kafka_python_are_read_by_the_consumer() {
    let registry = ServedRegistry::start().await;
    let cluster = cluster(&["orders", "payments", "orders.dlq", "payments.dlq"]);
    let brokers = cluster.bootstrap_servers();
    let (brokers_for_python, url) = (brokers.clone(), registry.url.clone());
    tokio::task::spawn_blocking(move || python_produces(&brokers_for_python, &url))
        .await
        .unwrap();

    let kafka = producer(&brokers).unwrap();
    let ids = Arc::new(consumer_ids(&registry.url).unwrap());
    let orders = consumer(&brokers, "orders-reader").unwrap();
    orders.subscribe(&["orders"]).unwrap();
    let decoder = AvroFrames::<Order>::new(ids.clone()).await.unwrap();
    let mut read = Vec::new();
    let stats = run(&orders, &kafka, "orders.dlq", &decoder, Some(2), |o| {
        read.push(o)
    })
    .await
    .unwrap();
    assert_eq!(stats.dead_lettered, 0);
    assert_eq!(
        read,
        [
            Order {
                id: "py-1".into(),
                amount_cents: 700,
                quantity: 3,
                currency: "EUR".into(),
                note: None,
            },
            Order {
                id: "py-2".into(),
                amount_cents: 800,
                quantity: 4,
                currency: "USD".into(),
                note: Some("from python".into()),
            },
        ]
    );

    let payments = consumer(&brokers, "payments-reader").unwrap();
    payments.subscribe(&["payments"]).unwrap();
    let mut read = Vec::new();
    let stats = run(
        &payments,
        &kafka,
        "payments.dlq",
        &ProtobufFrames::<Payment>::new(ids),
        Some(1),
        |p| read.push(p),
    )
    .await
    .unwrap();
    assert_eq!(
        stats,
        Stats {
            decoded: 1,
            dead_lettered: 0
        }
    );
    assert_eq!(
        read,
        [Payment {
            order_id: "py-1".into(),
            amount_cents: 700,
            method: "iban".into(),
        }]
    );
}
