//! Checking README's code blocks against the code that tests run: a README section's fenced
//! blocks, and the snippets of a test file between `// README: <name>` markers. Shared by the
//! crates whose tests compile README's examples (`tests/readme-producer`, `build-support`,
//! `tests/codegen-json-crate`, `examples/consumer`).
#![allow(dead_code)]

/// The text of README's section `heading` (up to the next heading of any level).
pub fn section<'a>(readme: &'a str, heading: &str) -> &'a str {
    let start = readme
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("README has no {heading}"));
    let body = &readme[start + heading.len() + 2..];
    let end = body.find("\n#").unwrap_or(body.len());
    &body[..end]
}

/// The fenced code blocks of `text`, each without its fences and its list indentation.
pub fn code_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match (&mut current, trimmed.starts_with("```")) {
            (None, true) => current = Some((indent, String::new())),
            (Some(_), true) => blocks.push(current.take().unwrap().1),
            (Some((indent, body)), false) => {
                body.push_str(line.get(*indent..).unwrap_or("").trim_end_matches(' '));
                body.push('\n');
            }
            (None, false) => {}
        }
    }
    blocks
}

/// The one block of `section` containing `needle`.
pub fn block_with(section: &str, needle: &str) -> String {
    let found: Vec<String> = code_blocks(section)
        .into_iter()
        .filter(|b| b.contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "blocks with {needle:?}: {found:?}");
    found.into_iter().next().unwrap()
}

/// The lines of `source` (a test file's text) between `// README: <name>` and
/// `// README: end`, dedented.
pub fn snippet_of(source: &str, name: &str) -> String {
    let start_marker = format!("// README: {name}\n");
    let start = source.find(&start_marker).expect("start marker") + start_marker.len();
    let end = start + source[start..].find("// README: end").expect("end marker");
    // Up to the marker's own line, whose indentation is not part of the snippet.
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
