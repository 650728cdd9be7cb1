//! Registry benchmarks. Each group compares against a baseline measured in the same run:
//!
//! - `get_by_id`: the store called directly (baseline), `GET /schemas/ids/{id}` over loopback
//!   to a server running on ONE core (one request at a time, and 64 in flight), and the HTTP
//!   client's cached lookup.
//! - `register`: registering a schema under BACKWARD_TRANSITIVE against 10 live versions, on the
//!   store directly (baseline) and through client → server → store.
//!
//! - `get_subjects_while_registering_a_large_enum`: `GET /subjects` on an idle server
//!   (baseline) and while another client registers ~900 KB enums back to back (issue 11: the
//!   parse ran under the store's lock, so such reads waited ~33 s behind a 1.4 MB enum).
//!
//! Run: `cargo bench --bench registry`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use schemactl::compat::Level;
use schemactl::registry::http::{HttpOptions, HttpRegistry, RetryPolicy};
use schemactl::registry::local::LocalRegistry;
use schemactl::registry::server::{self, ServerOptions};
use schemactl::registry::{Registry, SchemaDefinition, VersionSpec};

#[path = "support/timing.rs"]
mod timing;

use timing::median_time;

fn record_n(n: usize) -> String {
    let mut fields = vec![r#"{"name":"id","type":"long"}"#.to_string()];
    for i in 0..n {
        fields.push(format!(r#"{{"name":"f{i}","type":"int","default":{i}}}"#));
    }
    format!(
        r#"{{"type":"record","name":"Order","namespace":"com.example","fields":[{}]}}"#,
        fields.join(",")
    )
}

/// A store with subject `s` holding 10 live versions under BACKWARD_TRANSITIVE.
fn seeded_store(dir: &tempfile::TempDir, rt: &tokio::runtime::Runtime) -> Arc<LocalRegistry> {
    let store = Arc::new(LocalRegistry::open(&dir.path().join("bench.db")).unwrap());
    rt.block_on(async {
        store
            .set_config(Some("s"), Level::BackwardTransitive)
            .await
            .unwrap();
        for n in 0..10 {
            store
                .register("s", &SchemaDefinition::avro(record_n(n)), false)
                .await
                .unwrap();
        }
    });
    store
}

/// Starts the server on its own single-threaded runtime (one core) and returns its URL.
fn start_server(store: Arc<LocalRegistry>) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(format!("http://{}", listener.local_addr().unwrap()))
                .unwrap();
            // Runs until the bench process exits.
            server::serve(
                listener,
                store,
                ServerOptions::default(),
                std::future::pending(),
            )
            .await
            .unwrap();
        });
    });
    rx.recv().unwrap()
}

fn client(url: &str) -> HttpRegistry {
    let options = HttpOptions {
        retry: RetryPolicy::none(),
        ..HttpOptions::default()
    };
    HttpRegistry::new(url, options).unwrap()
}

fn get_by_id(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(&dir, &rt);
    let url = start_server(store.clone());
    let http = reqwest::Client::new();
    let by_id = format!("{url}/schemas/ids/5");
    let cached = client(&url);
    rt.block_on(cached.schema_by_id(5)).unwrap();

    let mut group = c.benchmark_group("get_by_id");
    group.throughput(Throughput::Elements(1));
    group.bench_function("store_direct", |b| {
        b.iter(|| rt.block_on(store.schema_by_id(5)).unwrap())
    });
    group.bench_function("http_get_one_core_sequential", |b| {
        b.iter(|| {
            rt.block_on(async {
                let r = http.get(&by_id).send().await.unwrap();
                assert!(r.status().is_success());
                r.bytes().await.unwrap()
            })
        })
    });
    group.bench_function("client_cached", |b| {
        b.iter(|| rt.block_on(cached.schema_by_id(5)).unwrap())
    });
    group.throughput(Throughput::Elements(64));
    group.bench_function("http_get_one_core_64_in_flight", |b| {
        b.iter(|| {
            rt.block_on(async {
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..64 {
                    let (http, by_id) = (http.clone(), by_id.clone());
                    set.spawn(async move {
                        let r = http.get(&by_id).send().await.unwrap();
                        assert!(r.status().is_success());
                        r.bytes().await.unwrap()
                    });
                }
                while let Some(r) = set.join_next().await {
                    r.unwrap();
                }
            })
        })
    });
    group.finish();
}

/// Times only the registration; between iterations the new version is deleted again (soft,
/// then permanently) so that every registration is checked against exactly 10 versions.
fn timed_registrations(
    rt: &tokio::runtime::Runtime,
    registry: &dyn Registry,
    iters: u64,
) -> Duration {
    let def = SchemaDefinition::avro(record_n(11));
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let start = Instant::now();
        let reg = rt.block_on(registry.register("s", &def, false)).unwrap();
        total += start.elapsed();
        assert!(reg.created);
        rt.block_on(async {
            registry
                .delete_version("s", VersionSpec::Latest, false)
                .await
                .unwrap();
            registry
                .delete_version("s", VersionSpec::Latest, true)
                .await
                .unwrap();
        });
    }
    total
}

fn register(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(&dir, &rt);
    let url = start_server(store.clone());
    let remote = client(&url);

    let mut group = c.benchmark_group("register_against_10_versions");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("store_direct", |b| {
        b.iter_custom(|iters| timed_registrations(&rt, &*store, iters))
    });
    group.bench_function("client_server_store", |b| {
        b.iter_custom(|iters| timed_registrations(&rt, &remote, iters))
    });
    group.finish();
}

/// An enum of `symbols` symbols whose last one is `tag`, so that each is a new schema, and a
/// compatible evolution of the previous one (it only adds symbols).
fn large_enum(symbols: usize, tag: u64) -> String {
    let mut all: Vec<String> = (0..symbols).map(|i| format!("\"SYMBOL_{i}\"")).collect();
    for t in 0..=tag {
        all.push(format!("\"EXTRA_{t}\""));
    }
    format!(
        r#"{{"type":"enum","name":"Big","symbols":[{}]}}"#,
        all.join(",")
    )
}

fn reads_during_large_register(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(LocalRegistry::open(&dir.path().join("bench.db")).unwrap());
    rt.block_on(store.register("small", &SchemaDefinition::avro("\"int\""), false))
        .unwrap();
    let url = start_server(store);
    let http = reqwest::Client::new();
    let subjects = format!("{url}/subjects");
    let get = || {
        rt.block_on(async {
            let r = http.get(&subjects).send().await.unwrap();
            assert!(r.status().is_success());
            r.bytes().await.unwrap()
        })
    };

    let mut group = c.benchmark_group("get_subjects_while_registering_a_large_enum");
    group.bench_function("idle", |b| b.iter(get));
    let idle = median_time(Duration::from_secs(2), || {
        get();
    });

    // Another client registers large enums back to back for as long as the next case runs.
    let stop = Arc::new(AtomicBool::new(false));
    let (registered, busy_ns) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let writer = {
        let (stop, registered, busy_ns) = (stop.clone(), registered.clone(), busy_ns.clone());
        let url = format!("{url}/subjects/big/versions");
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let http = reqwest::Client::new();
            let mut tag = 0;
            while !stop.load(Ordering::Relaxed) {
                let body = serde_json::json!({ "schema": large_enum(60_000, tag) }).to_string();
                let start = Instant::now();
                let status = rt.block_on(async {
                    http.post(&url)
                        .header("content-type", "application/vnd.schemaregistry.v1+json")
                        .body(body)
                        .send()
                        .await
                        .unwrap()
                        .status()
                });
                assert!(status.is_success(), "{status}");
                busy_ns.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
                registered.fetch_add(1, Ordering::Relaxed);
                tag += 1;
            }
        })
    };
    group.bench_function("during_registrations", |b| b.iter(get));
    group.finish();
    let busy = median_time(Duration::from_secs(2), || {
        get();
    });
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    let n = registered.load(Ordering::Relaxed).max(1);
    println!(
        "get_subjects_while_registering_a_large_enum: idle {:.3} ms, during registrations {:.3} ms, ratio {:.2}; {} registrations of a {} KB enum, {:.1} ms each",
        idle.as_secs_f64() * 1e3,
        busy.as_secs_f64() * 1e3,
        busy.as_secs_f64() / idle.as_secs_f64(),
        registered.load(Ordering::Relaxed),
        large_enum(60_000, 0).len() / 1024,
        busy_ns.load(Ordering::Relaxed) as f64 / n as f64 / 1e6
    );
}

criterion_group!(benches, get_by_id, register, reads_during_large_register);
criterion_main!(benches);
