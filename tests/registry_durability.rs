//! Durability: `schemactl registry serve` is killed with SIGKILL in the middle of a burst of
//! registrations; after a restart on the same file, every acknowledged registration is there
//! with its id and version.

mod registry_support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use registry_support::*;
use schemactl::registry::http::HttpOptions;
use schemactl::registry::{Registry, SchemaDefinition, VersionSpec};

/// Starts the server binary on a free loopback port; returns it and its URL.
fn spawn_server(data: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(["registry", "serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start schemactl registry serve");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let first = lines
        .next()
        .expect("server printed nothing")
        .expect("read server stderr");
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_string();
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

/// An acknowledged registration: (subject, schema, id, version).
type Acked = (String, String, u32, u32);

const WRITERS: usize = 4;
const PER_WRITER: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_registrations_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("registry.db");
    let (mut child, url) = spawn_server(&data);

    let acked: Arc<Mutex<Vec<Acked>>> = Arc::default();
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (url, acked) = (url.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            let r = client(&url, HttpOptions::default());
            let subject = format!("burst-{w}");
            for n in 0..PER_WRITER {
                let text = record_n(n);
                match r
                    .register(&subject, &SchemaDefinition::avro(text.clone()), false)
                    .await
                {
                    Ok(reg) => {
                        // The HTTP register answer has no version; the registry numbers
                        // them 1, 2, … per subject, and every schema here is new.
                        assert!(reg.created);
                        acked
                            .lock()
                            .unwrap()
                            .push((subject.clone(), text, reg.id, n as u32 + 1));
                    }
                    Err(_) => return,
                }
            }
        }));
    }

    // Kill the server once a good part of the burst was acknowledged, with writes in flight.
    let started = Instant::now();
    while acked.lock().unwrap().len() < 60 && started.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().expect("SIGKILL the server");
    child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 60,
        "only {} registrations acknowledged",
        acked.len()
    );
    assert!(
        acked.len() < WRITERS * PER_WRITER,
        "the burst finished before the kill; nothing was tested"
    );

    let (mut child, url) = spawn_server(&data);
    let r = client(&url, HttpOptions::default());
    for (subject, text, id, version) in &acked {
        let found = r
            .lookup(subject, &SchemaDefinition::avro(text.clone()), false, false)
            .await
            .unwrap_or_else(|e| panic!("{subject} v{version} (id {id}) lost: {e}"));
        assert_eq!((found.id, found.version), (*id, *version));
        assert_eq!(&r.schema_by_id(*id).await.unwrap().schema, text);
    }
    // Versions stay gap-free after the crash, and the registry takes new writes.
    for w in 0..WRITERS {
        let subject = format!("burst-{w}");
        let versions = r.versions(&subject, false).await.unwrap();
        assert_eq!(versions, (1..=versions.len() as u32).collect::<Vec<_>>());
        let next = r
            .register(
                &subject,
                &SchemaDefinition::avro(record_n(PER_WRITER + 1)),
                false,
            )
            .await
            .unwrap();
        let latest = r
            .version(&subject, VersionSpec::Latest, false)
            .await
            .unwrap();
        assert_eq!(
            (latest.id, latest.version),
            (next.id, versions.len() as u32 + 1)
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
