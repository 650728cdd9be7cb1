//! What the example binaries' tests run against, for both examples (the consumer's tests
//! include this through `tests/common`): `registry serve` (an in-memory store) on loopback,
//! librdkafka's mock cluster, and the binaries as child processes.

#![allow(dead_code)] // each test binary uses part of this

use std::process::{Command, Output};
use std::sync::Arc;

use rdkafka::mocking::MockCluster;
use rdkafka::producer::DefaultProducerContext;
use schemactl::registry::local::LocalRegistry;
use schemactl::registry::server::{self, ServerOptions};
use schemactl::registry::Registry;

/// `registry serve` on an ephemeral loopback port, until dropped.
pub struct ServedRegistry {
    pub url: String,
    /// What the server stores, to read back what the binaries registered.
    pub store: Arc<LocalRegistry>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for ServedRegistry {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl ServedRegistry {
    pub async fn start() -> Self {
        let store = Arc::new(LocalRegistry::in_memory().unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served: Arc<dyn Registry> = store.clone();
        tokio::spawn(server::serve(
            listener,
            served,
            ServerOptions::default(),
            async move {
                let _ = stopped.await;
            },
        ));
        Self {
            url,
            store,
            stop: Some(stop),
        }
    }
}

/// A one-broker mock cluster with `topics`, one partition each.
pub fn cluster(topics: &[&str]) -> MockCluster<'static, DefaultProducerContext> {
    let cluster = MockCluster::new(1).unwrap();
    for topic in topics {
        cluster.create_topic(topic, 1, 1).unwrap();
    }
    cluster
}

/// Runs the binary `bin` to its end, off the runtime's threads (the mock cluster and the
/// registry serve it from this process).
pub async fn run_binary(bin: &'static str, args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || Command::new(bin).args(&args).output())
        .await
        .unwrap()
        .unwrap()
}

/// `bin` exits 2 when `bad` (an option) lacks its value, and 3 when the registry does not
/// answer.
pub fn assert_bad_arguments_exit_2_and_an_unreachable_registry_exits_3(bin: &str, bad: &str) {
    let out = Command::new(bin).arg(bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Nothing listens on port 1 of loopback.
    let out = Command::new(bin)
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
