//! Shared helpers of the registry tests: a server on an ephemeral loopback port over a fresh
//! store, clients for it, and a dialect proxy imitating other registries in front of it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use schemactl::registry::http::{HttpOptions, HttpRegistry, RetryPolicy};
use schemactl::registry::local::LocalRegistry;
use schemactl::registry::server::{self, ServerOptions};
use schemactl::registry::{Registry, RegistryError};
use tempfile::TempDir;
use tokio::sync::oneshot;

mod dialect;
#[allow(unused_imports)]
pub use dialect::*;

/// A store in a fresh temporary directory.
pub fn local_store() -> (Arc<LocalRegistry>, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = LocalRegistry::open(&dir.path().join("registry.db")).expect("open store");
    (Arc::new(store), dir)
}

/// `schemactl registry serve` in-process: the server on 127.0.0.1:0 over a fresh store.
pub struct TestServer {
    pub addr: SocketAddr,
    pub url: String,
    pub store: Arc<LocalRegistry>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: TempDir,
}

impl TestServer {
    pub async fn start(options: ServerOptions) -> Self {
        let (store, dir) = local_store();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = oneshot::channel::<()>();
        let registry: Arc<dyn Registry> = store.clone();
        let task = tokio::spawn(server::serve(listener, registry, options, async move {
            let _ = rx.await;
        }));
        Self {
            addr,
            url: format!("http://{addr}"),
            store,
            shutdown: Some(tx),
            task: Some(task),
            _dir: dir,
        }
    }

    pub fn client(&self) -> HttpRegistry {
        client(&self.url, HttpOptions::default())
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server result");
        }
    }
}

/// A client without retries and with a short timeout, so that failures show at once.
pub fn client(url: &str, mut options: HttpOptions) -> HttpRegistry {
    options.retry = RetryPolicy::none();
    options.timeout = Duration::from_secs(10);
    HttpRegistry::new(url, options).expect("client")
}

/// The Confluent error code of a failed call.
pub fn code<T: std::fmt::Debug>(result: Result<T, RegistryError>) -> u32 {
    let err = result.expect_err("expected a registry error");
    err.error_code()
        .unwrap_or_else(|| panic!("error without code: {err}"))
}

pub const RECORD_V1: &str = r#"{"type":"record","name":"Order","namespace":"com.example","fields":[{"name":"id","type":"long"}]}"#;
/// RECORD_V1 plus a field with a default: compatible in every direction.
pub const RECORD_V2: &str = r#"{"type":"record","name":"Order","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"note","type":"string","default":""}]}"#;
/// RECORD_V1 plus a field without a default: not BACKWARD compatible.
pub const RECORD_BAD: &str = r#"{"type":"record","name":"Order","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"qty","type":"int"}]}"#;

/// A distinct, mutually compatible record schema per `n` (for bursts of registrations).
pub fn record_n(n: usize) -> String {
    let mut fields = vec![r#"{"name":"id","type":"long"}"#.to_string()];
    for i in 0..n {
        fields.push(format!(r#"{{"name":"f{i}","type":"int","default":{i}}}"#));
    }
    format!(
        r#"{{"type":"record","name":"Order","namespace":"com.example","fields":[{}]}}"#,
        fields.join(",")
    )
}
