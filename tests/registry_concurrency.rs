//! Concurrent registrations: clients registering overlapping schemas at once get one id per
//! schema and gap-free versions, through the server and across store connections.

mod registry_support;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use registry_support::*;
use schemactl::registry::local::LocalRegistry;
use schemactl::registry::server::ServerOptions;
use schemactl::registry::{Registry, SchemaDefinition, VersionSpec};

const CLIENTS: usize = 8;
const SCHEMAS: usize = 12;

/// Each client registers every schema, starting at a different one, in the shared subject and
/// in a subject of its own. Returns (schema index -> id) as each client saw it.
async fn burst(registries: Vec<Arc<dyn Registry>>) -> Vec<HashMap<usize, u32>> {
    let mut tasks = Vec::new();
    for (c, registry) in registries.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            let mut seen = HashMap::new();
            for k in 0..SCHEMAS {
                let n = (k + c * 5) % SCHEMAS;
                let def = SchemaDefinition::avro(record_n(n));
                let shared = registry.register("shared", &def, false).await.unwrap();
                let own = registry
                    .register(&format!("own-{c}"), &def, false)
                    .await
                    .unwrap();
                assert_eq!(shared.id, own.id, "one schema, one id in every subject");
                seen.insert(n, shared.id);
            }
            seen
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

async fn assert_consistent(seen: &[HashMap<usize, u32>], registry: &dyn Registry) {
    // Every client saw the same id for each schema, and distinct schemas have distinct ids.
    let first = &seen[0];
    for s in seen {
        assert_eq!(s, first);
    }
    let mut ids: Vec<u32> = first.values().copied().collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), SCHEMAS);

    // The shared subject has exactly versions 1..=SCHEMAS, each holding one of the schemas once.
    let versions = registry.versions("shared", false).await.unwrap();
    assert_eq!(versions, (1..=SCHEMAS as u32).collect::<Vec<_>>());
    let mut by_version = BTreeMap::new();
    for v in versions {
        let record = registry
            .version("shared", VersionSpec::Number(v), false)
            .await
            .unwrap();
        by_version.insert(record.id, v);
    }
    assert_eq!(by_version.len(), SCHEMAS, "no schema registered twice");
    for c in 0..seen.len() {
        let own = registry.versions(&format!("own-{c}"), false).await.unwrap();
        assert_eq!(own, (1..=SCHEMAS as u32).collect::<Vec<_>>());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_http_clients_get_consistent_ids_and_gap_free_versions() {
    let server = TestServer::start(ServerOptions::default()).await;
    let clients: Vec<Arc<dyn Registry>> = (0..CLIENTS)
        .map(|_| Arc::new(server.client()) as Arc<dyn Registry>)
        .collect();
    let seen = burst(clients).await;
    assert_consistent(&seen, &*server.store).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn separate_store_connections_on_one_file_agree() {
    // Each store has its own SQLite connection, as separate processes would.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.db");
    let stores: Vec<Arc<dyn Registry>> = (0..CLIENTS)
        .map(|_| Arc::new(LocalRegistry::open(&path).unwrap()) as Arc<dyn Registry>)
        .collect();
    let check = stores[0].clone();
    let seen = burst(stores).await;
    assert_consistent(&seen, &*check).await;
}
