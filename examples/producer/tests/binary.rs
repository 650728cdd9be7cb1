//! The producer binary against librdkafka's mock cluster and `registry serve` on loopback:
//! every value acknowledged, its schema registered; bad arguments exit 2, an unreachable
//! registry exits 3.

mod support;

use schemactl::registry::Registry;
use support::{cluster, run_binary, ServedRegistry};

const BIN: &str = env!("CARGO_BIN_EXE_schemactl-example-producer");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_orders_and_payments_and_registers_their_schemas() {
    let registry = ServedRegistry::start().await;
    let cluster = cluster(&["orders", "payments"]);
    let brokers = cluster.bootstrap_servers();

    for (topic, format) in [("orders", "avro"), ("payments", "protobuf")] {
        let args = [
            "--brokers",
            &brokers,
            "--registry",
            &registry.url,
            "--topic",
            topic,
            "--format",
            format,
            "--count",
            "2",
        ];
        let out = run_binary(BIN, &args).await;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("order-0 -> {topic}[0]@0\norder-1 -> {topic}[0]@1\n")
        );
    }
    let mut subjects = registry.store.subjects(None, false).await.unwrap();
    subjects.sort();
    assert_eq!(subjects, ["com.example.shop.Order", "example.shop.Payment"]);
}

#[test]
fn bad_arguments_exit_2_and_an_unreachable_registry_exits_3() {
    support::assert_bad_arguments_exit_2_and_an_unreachable_registry_exits_3(BIN, "--count");
}
