//! README's "Producing to Kafka" blocks are the examples' code: each block is a region of a
//! source file between `// README: <name>` and `// README: end`, in this order.

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    let path = format!("{MANIFEST_DIR}/{path}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text of README's section `heading` (up to the next heading of any level).
fn section<'a>(readme: &'a str, heading: &str) -> &'a str {
    let start = readme
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("README has no {heading}"));
    let body = &readme[start + heading.len() + 2..];
    let end = body.find("\n#").unwrap_or(body.len());
    &body[..end]
}

/// The fenced code blocks of `text`, without their fences.
fn code_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.starts_with("```")) {
            (None, true) => current = Some(String::new()),
            (Some(_), true) => blocks.push(current.take().unwrap()),
            (Some(body), false) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, false) => {}
        }
    }
    blocks
}

/// The lines of `path` between `// README: <name>` and `// README: end`, dedented.
fn region(path: &str, name: &str) -> String {
    let source = read(path);
    let marker = format!("// README: {name}\n");
    let start = source
        .find(&marker)
        .unwrap_or_else(|| panic!("{path}: no {marker}"))
        + marker.len();
    let end = start + source[start..].find("// README: end").expect("end marker");
    let body = &source[start..end];
    let body = &body[..body.rfind('\n').map_or(0, |i| i + 1)];
    let lines: Vec<&str> = body.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| format!("{}\n", l.get(indent..).unwrap_or("")))
        .collect()
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
