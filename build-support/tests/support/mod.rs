//! Shared helpers of the build-support tests: a registry served over HTTP on loopback, and
//! reading constants of generated impls.
#![allow(dead_code)]

use std::sync::Arc;

use schemactl::registry::server::{self, ServerOptions};
use schemactl::registry::Registry;

/// A registry server on 127.0.0.1 with an ephemeral port; the runtime keeps serving while the
/// test builds.
pub struct Served {
    pub url: String,
    pub runtime: tokio::runtime::Runtime,
}

/// Serves `store` after `setup` ran on it (in the server's runtime).
pub fn serve<R, F>(store: Arc<R>, setup: impl FnOnce(Arc<R>) -> F) -> (Served, F::Output)
where
    R: Registry + 'static,
    F: std::future::Future,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (url, output) = runtime.block_on(async {
        let output = setup(store.clone()).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let registry: Arc<dyn Registry> = store;
        tokio::spawn(server::serve(
            listener,
            registry,
            ServerOptions::default(),
            std::future::pending(),
        ));
        (url, output)
    });
    (Served { url, runtime }, output)
}

/// The text of `const NAME` in the impl of `trait_name` for `type_name`, whitespace removed.
pub fn constant(code: &str, trait_name: &str, type_name: &str, name: &str) -> String {
    let header = format!("{trait_name} for {type_name} {{");
    let start = code.find(&header).unwrap_or_else(|| panic!("no {header}"));
    let rest = &code[start..];
    let at = rest
        .find(&format!("const {name}:"))
        .unwrap_or_else(|| panic!("no {name} in {header}"));
    // prettyplease may break `Some(\n 101u32,\n)` over lines.
    rest[at..rest[at..].find(';').unwrap() + at]
        .split_whitespace()
        .collect()
}

/// The `SCHEMA_ID` of the impl for `type_name` in generated code.
pub fn pinned(code: &str, trait_name: &str, type_name: &str) -> Option<u32> {
    let item = constant(code, trait_name, type_name, "SCHEMA_ID");
    let value = item.split("Some(").nth(1)?;
    value.split("u32").next()?.parse().ok()
}

/// A copy of the repository's example project (`schemas/`, without its store).
pub fn example_project() -> tempfile::TempDir {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if name == ".schemactl" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(&name));
            } else {
                std::fs::copy(entry.path(), to.join(&name)).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    copy(&example, &dir.path().join("schemas"));
    dir
}

/// `schemactl register -c <config> --registry <url>`, run in process; panics unless it exits 0.
pub fn register(config: &std::path::Path, url: &str) {
    use clap::Parser;
    let config = config.to_str().unwrap();
    let cli = schemactl::cli::Cli::try_parse_from([
        "schemactl",
        "register",
        "-c",
        config,
        "--registry",
        url,
    ])
    .unwrap();
    let code = schemactl::cli::run(cli).unwrap_or_else(|e| panic!("register: {e}"));
    assert_eq!(code, std::process::ExitCode::SUCCESS);
}

/// The `SUBJECT` of the impl for `type_name` in generated code.
pub fn subject(code: &str, trait_name: &str, type_name: &str) -> String {
    let item = constant(code, trait_name, type_name, "SUBJECT");
    let value = item.split('"').nth(1).expect("a string literal");
    value.to_string()
}
