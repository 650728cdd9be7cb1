//! What each Cargo feature of `schemactl` brings into a crate that depends on it, measured with
//! `cargo tree` (normal dependencies only, as a producer's build sees them). README's feature
//! table ("The runtime") states these facts; this test keeps them true.

use std::collections::BTreeSet;
use std::process::Command;

/// The distinct crates (`schemactl` included) with `--no-default-features --features <features>`.
fn crates(features: &str) -> BTreeSet<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "-p",
            "schemactl",
            "--no-default-features",
            "--features",
        ])
        .arg(features)
        .args(["-e", "normal", "--prefix", "none", "--offline"])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// The schema parser and compiler, which only the `engine` feature may bring.
const ENGINE_ONLY: [&str; 4] = ["protox", "prost-reflect", "miette", "prost-types"];

#[test]
fn registry_client_brings_the_http_client_without_the_engine() {
    let deps = crates("registry-client");
    for name in ENGINE_ONLY.iter().chain(&["rusqlite", "axum", "prost"]) {
        assert!(!deps.contains(*name), "registry-client brings {name}");
    }
    for name in ["reqwest", "tokio", "rustls"] {
        assert!(deps.contains(name), "registry-client lacks {name}");
    }
    // README's figure: the HTTP and TLS stack (reqwest, hyper, rustls, url) is all of it.
    assert!(deps.len() <= 95, "{} crates: {deps:?}", deps.len());
}

#[test]
fn the_bare_runtime_needs_serde_and_thiserror_only() {
    let deps = crates("");
    assert!(deps.len() <= 15, "{} crates: {deps:?}", deps.len());
    let prost = crates("prost");
    assert!(prost.len() <= 22, "{} crates: {prost:?}", prost.len());
    for name in ENGINE_ONLY
        .iter()
        .chain(&["reqwest", "tokio", "jsonschema", "typify"])
    {
        assert!(!deps.contains(*name) && !prost.contains(*name), "{name}");
    }
}

#[test]
fn json_validate_brings_jsonschema_without_a_network_stack_or_the_engine() {
    let deps = crates("json-validate");
    assert!(deps.contains("jsonschema"));
    // Built without its URL and file resolvers: validation never fetches a `$ref`.
    for name in ENGINE_ONLY
        .iter()
        .chain(&["reqwest", "tokio", "rustls", "typify", "schemars"])
    {
        assert!(!deps.contains(*name), "json-validate brings {name}");
    }
    // README's figure.
    assert!(deps.len() <= 65, "{} crates: {deps:?}", deps.len());
}

#[test]
fn the_engine_brings_the_parser() {
    let deps = crates("engine");
    for name in ["protox", "prost-reflect", "miette"] {
        assert!(deps.contains(name), "engine lacks {name}");
    }
}

#[test]
fn project_config_reads_a_project_without_the_server_or_the_store() {
    // What `schemactl-build`'s `project` feature brings into a build script.
    let deps = crates("project-config");
    for name in ["rusqlite", "axum", "clap", "indicatif"] {
        assert!(!deps.contains(name), "project-config brings {name}");
    }
    assert!(deps.contains("toml"), "project-config lacks toml");
}
