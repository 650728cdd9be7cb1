//! The consumer binary: reads a topic to `--max-messages`, prints decoded values, dead-letters
//! poison frames; bad arguments exit 2, an unreachable registry exits 3.

mod common;

use common::{cluster, read_topic, run_binary, ServedRegistry};
use schemactl::runtime::ids::{IdStrategy, SchemaIds};
use schemactl_example_consumer::dead_letter::ERROR_KIND;
use schemactl_example_consumer::schemas::com::example::shop::Order;
use schemactl_example_producer::{producer, send, send_avro};

const BIN: &str = env!("CARGO_BIN_EXE_schemactl-example-consumer");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumes_to_the_limit_and_dead_letters_poison() {
    let registry = ServedRegistry::start().await;
    let cluster = cluster(&["orders", "orders.dlq"]);
    let brokers = cluster.bootstrap_servers();
    let kafka = producer(&brokers).unwrap();
    let ids = SchemaIds::open(&registry.url, IdStrategy::AutoRegister).unwrap();
    let order = Order {
        id: "o-1".into(),
        amount_cents: 5,
        quantity: 1,
        currency: "EUR".into(),
        note: None,
    };
    send_avro(&kafka, &ids, "orders", "o-1", &order)
        .await
        .unwrap();
    send(&kafka, "orders", "junk", b"not a frame")
        .await
        .unwrap();

    let args = [
        "--brokers",
        brokers.as_str(),
        "--registry",
        registry.url.as_str(),
        "--topic",
        "orders",
        "--max-messages",
        "2",
    ];
    let out = run_binary(BIN, &args).await;
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.trim(), format!("{order:?}"));
    assert!(stderr.contains("1 decoded, 1 dead-lettered"), "{stderr}");
    let dead = read_topic(&brokers, "orders.dlq", 1).await;
    assert_eq!(dead[0].header(ERROR_KIND), Some("not-a-frame"));
}

#[test]
fn bad_arguments_exit_2_and_an_unreachable_registry_exits_3() {
    common::assert_bad_arguments_exit_2_and_an_unreachable_registry_exits_3(BIN, "--brokers");
}
