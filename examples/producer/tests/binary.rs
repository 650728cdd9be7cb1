//! The producer binary against librdkafka's mock cluster and `registry serve` on loopback:
//! every value acknowledged, its schema registered; bad arguments exit 2, an unreachable
//! registry exits 3.

use std::process::Command;
use std::sync::Arc;

use rdkafka::mocking::MockCluster;
use schemactl::registry::local::LocalRegistry;
use schemactl::registry::server::{self, ServerOptions};
use schemactl::registry::Registry;

const BIN: &str = env!("CARGO_BIN_EXE_schemactl-example-producer");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sends_orders_and_payments_and_registers_their_schemas() {
    let store = Arc::new(LocalRegistry::in_memory().unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let served: Arc<dyn Registry> = store.clone();
    tokio::spawn(server::serve(
        listener,
        served,
        ServerOptions::default(),
        std::future::pending(),
    ));
    let cluster = MockCluster::new(1).unwrap();
    for topic in ["orders", "payments"] {
        cluster.create_topic(topic, 1, 1).unwrap();
    }
    let brokers = cluster.bootstrap_servers();

    for (topic, format) in [("orders", "avro"), ("payments", "protobuf")] {
        let args = [
            "--brokers",
            &brokers,
            "--registry",
            &url,
            "--topic",
            topic,
            "--format",
            format,
            "--count",
            "2",
        ]
        .map(String::from);
        let out = tokio::task::spawn_blocking(move || Command::new(BIN).args(&args).output())
            .await
            .unwrap()
            .unwrap();
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
    let mut subjects = store.subjects(None, false).await.unwrap();
    subjects.sort();
    assert_eq!(subjects, ["com.example.shop.Order", "example.shop.Payment"]);
}

#[test]
fn bad_arguments_exit_2_and_an_unreachable_registry_exits_3() {
    let out = Command::new(BIN).arg("--count").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Nothing listens on port 1 of loopback.
    let out = Command::new(BIN)
        .args([
            "--brokers",
            "127.0.0.1:1",
            "--registry",
            "http://127.0.0.1:1",
        ])
        .args(["--topic", "orders"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
