//! README's "Producing to Kafka" blocks are the examples' code: each block is a region of a
//! source file between `// README: <name>` and `// README: end`, in this order.

#[path = "../../../tests/readme_support/mod.rs"]
mod readme_support;
use readme_support::{code_blocks, section, snippet_of};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    let path = format!("{MANIFEST_DIR}/{path}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The lines of `path` between `// README: <name>` and `// README: end`, dedented.
fn region(path: &str, name: &str) -> String {
    snippet_of(&read(path), name)
}

#[test]
fn producing_to_kafka_blocks_are_the_examples_code() {
    let readme = read("../../README.md");
    let blocks = code_blocks(section(&readme, "### Producing to Kafka"));
    let regions = [
        region("../producer/src/lib.rs", "producer-config"),
        region("../producer/src/lib.rs", "produce"),
        region("src/main.rs", "decoders"),
        region("src/consume.rs", "consume"),
    ];
    assert_eq!(blocks, regions);
}
