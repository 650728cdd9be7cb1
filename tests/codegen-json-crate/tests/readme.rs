//! README's "JSON Schema → Rust and the runtime" section, verbatim: this crate's dependency lines,
//! `build.rs` and `src/lib.rs` are its blocks byte for byte, and its usage example is compiled
//! and run here (between `README:` markers).

use std::error::Error;

#[path = "../../readme_support/mod.rs"]
mod readme_support;
use readme_support::{code_blocks, section, snippet_of};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
const HEADING: &str = "### JSON Schema → Rust and the runtime";

fn read(path: &str) -> String {
    let path = format!("{MANIFEST_DIR}/{path}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fenced code blocks of README's section, each without its fences.
fn section_blocks() -> Vec<String> {
    code_blocks(section(&read("../../README.md"), HEADING))
}

/// The lines of this file between `// README: example` and `// README: end`, dedented.
fn example() -> String {
    snippet_of(&read("tests/readme.rs"), "example")
}

#[test]
fn readme_blocks_are_this_crate() {
    let blocks = section_blocks();
    let manifest = read("Cargo.toml");
    // README's version requirements are this workspace's paths here.
    let normalize = |l: &str| {
        l.replace("version = \"0.1\", ", "")
            .replace("\"0.1\"", "")
            .replace("path = \"../..\", ", "")
            .replace("{ path = \"../../build-support\" }", "")
    };
    for line in blocks[0].lines().filter(|l| l.contains(" = ")) {
        let name = line.split(' ').next().unwrap_or_default();
        let ours = manifest
            .lines()
            .find(|l| l.starts_with(&format!("{name} = ")))
            .unwrap_or_else(|| panic!("Cargo.toml lacks {name}"));
        assert_eq!(normalize(line), normalize(ours), "{name}");
    }
    assert_eq!(blocks[1], format!("// build.rs\n{}", read("build.rs")));
    let lib = read("src/lib.rs");
    let lib = &lib[lib.find("pub mod json").expect("module")..];
    assert_eq!(blocks[2], format!("// src/lib.rs\n{lib}"));
    assert_eq!(blocks[3], example());
    assert_eq!(
        blocks[4],
        snippet_of(&read("tests/readme.rs"), "references")
    );
}

#[test]
fn readme_example_runs() -> Result<(), Box<dyn Error>> {
    // README: example
    use schemactl::runtime::json::{JsonFrameError, JsonType};
    use schemactl_codegen_json_test::json::{order, Order};

    let order = Order {
        id: "o-1".into(),
        status: order::Status::Paid,
        lines: vec![order::Line {
            sku: "sku-1".into(),
            price: 12.5,
        }],
        note: None,
    };
    let id = Order::SCHEMA_ID.expect("pinned in build.rs");
    let frame = order.to_frame(id)?; // 0, 4-byte id, {"id":"o-1",...}; validated first
    assert_eq!(Order::from_frame(&frame, id)?, order);

    let mut bad = order.clone();
    bad.lines[0].price = -1.0; // "minimum": 0
    let Err(JsonFrameError::Invalid { pointer, .. }) = bad.to_frame(id) else {
        panic!()
    };
    assert_eq!(pointer, "/lines/0/price");
    // README: end
    Ok(())
}

#[test]
fn readme_references_example_runs() -> Result<(), Box<dyn Error>> {
    // README: references
    use schemactl::runtime::json::{JsonFrameError, JsonType};
    use schemactl_codegen_json_test::json::{address, customer, Address, Customer};

    let customer = Customer {
        id: "c-1".into(),
        home: Address {
            street: None,
            city: "Berlin".into(),
            latitude: Some(52.5),
            country: address::Country::De,
        },
        billing: None,
        nationality: Some(address::Country::De),
        tier: customer::Tier::Gold,
    };
    // `address.json` is the schema's reference, and validates `home` too.
    assert_eq!(Customer::REFERENCES[0].name, "address.json");
    let frame = customer.to_frame(7)?;
    assert_eq!(Customer::from_frame(&frame, 7)?, customer);

    let mut bad = customer.clone();
    bad.home.latitude = Some(120.0); // address.json: "maximum": 90
    let Err(JsonFrameError::Invalid { pointer, .. }) = bad.to_frame(7) else {
        panic!()
    };
    assert_eq!(pointer, "/home/latitude");
    // README: end
    Ok(())
}
