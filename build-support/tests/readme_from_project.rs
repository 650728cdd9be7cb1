//! README's "From the project config" example, as shown: its block is the snippet below byte
//! for byte (`tests/readme_support` compares them, as for `tests/readme-producer`), and the
//! snippet runs the way a build script runs it, in a crate whose `schemas/` is the example
//! project, registered with `schemactl register` in a registry served on loopback.
//! One test only: it sets the working directory and `OUT_DIR`, which are the process's.

use std::path::Path;
use std::sync::Arc;

use schemactl::registry::local::LocalRegistry;

#[path = "../../tests/readme_support/mod.rs"]
mod readme_support;
mod support;

use readme_support::{block_with, section, snippet_of};

const HEADING: &str = "#### From the project config";

#[rustfmt::skip]
fn readme_build(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    // README: from_project
    // build.rs; `url`: the registry `schemactl register` writes to, e.g. "http://localhost:8081"
    schemactl_build::Config::from_project("schemas/schemactl.toml")?
        .pin_ids_from(schemactl_build::registry(url))
        .compile()?;
    // README: end
    Ok(())
}

#[test]
fn readme_example_is_readme_s_and_pins_the_example_project() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    let readme = read(&manifest.join("../README.md"));
    let part = section(&readme, HEADING);
    let this = read(&manifest.join("tests/readme_from_project.rs"));
    assert_eq!(
        block_with(part, "from_project("),
        snippet_of(&this, "from_project")
    );
    // The dependency line names features this crate has.
    let dependency = block_with(part, "[build-dependencies]");
    assert_eq!(
        dependency,
        "[build-dependencies]\nschemactl-build = { version = \"0.1\", features = [\"project\", \"registry\"] }\n"
    );
    let manifest_text = read(&manifest.join("Cargo.toml"));
    assert!(manifest_text.contains("\nproject = [") && manifest_text.contains("\nregistry = ["));

    let project = support::example_project();
    let store = Arc::new(LocalRegistry::in_memory().unwrap());
    let (served, ()) = support::serve(store, |_| async {});
    support::register(&project.path().join("schemas/schemactl.toml"), &served.url);
    let out = tempfile::tempdir().unwrap();
    std::env::set_current_dir(project.path()).unwrap();
    std::env::set_var("OUT_DIR", out.path());
    readme_build(&served.url).unwrap();

    let avro = read(&out.path().join(schemactl_build::AVRO_FILE));
    let proto = read(&out.path().join(schemactl_build::PROTOBUF_FILE));
    let avro_type = "::schemactl::runtime::avro::AvroType";
    let proto_type = "::schemactl::runtime::protobuf::ProtobufType";
    for name in ["User", "Address", "Customer"] {
        assert!(support::pinned(&avro, avro_type, name).is_some(), "{name}");
    }
    for name in ["self::shop::orders::Order", "self::shop::common::Money"] {
        assert!(
            support::pinned(&proto, proto_type, name).is_some(),
            "{name}"
        );
    }
}
