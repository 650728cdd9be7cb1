//! Hostile JSON Schemas: deep nesting, long `$ref` chains, huge enums and wide combined types
//! get a verdict or a clear error, on a thread with a 1 MiB stack (as tests/engine_hostile.rs
//! runs the other engines), never a crash; the cost grows with the input's size.

use schemactl::compat::json::{check_direction, JsonPolicy};
use schemactl::compat::Direction;
use schemactl::schema::json::parse_with_references;

fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow")
}

fn nested(depth: usize, leaf: &str) -> String {
    format!("{}{leaf}{}", r#"{"not":"#.repeat(depth), "}".repeat(depth))
}

#[test]
fn nesting_past_the_json_limit_is_bad_input() {
    let err = on_small_stack(|| {
        parse_with_references("deep.json", &nested(10_000, "{}"), &[])
            .unwrap_err()
            .to_string()
    });
    assert!(err.contains("recursion limit exceeded"), "{err}");
    assert!(err.starts_with("deep.json:1:"), "{err}");
}

#[test]
fn nesting_up_to_the_limit_is_compared() {
    let found = on_small_stack(|| {
        let old = parse_with_references("old", &nested(120, r#"{"type":"string"}"#), &[]).unwrap();
        let new = parse_with_references("new", &nested(120, r#"{"type":"number"}"#), &[]).unwrap();
        check_direction(&new, &old, Direction::Backward, JsonPolicy::Strict).len()
    });
    assert_eq!(found, 1);
}

/// `definitions` d0 … dN, each an object whose `next` property refers to the following one.
fn chain(n: usize, last: &str) -> String {
    let mut defs = Vec::new();
    for i in 0..n {
        defs.push(format!(
            r##""d{i}": {{"type": "object", "properties": {{"next": {{"$ref": "#/definitions/d{}"}}}}}}"##,
            i + 1
        ));
    }
    defs.push(format!(r#""d{n}": {last}"#));
    format!(
        r##"{{"$ref": "#/definitions/d0", "definitions": {{{}}}}}"##,
        defs.join(",")
    )
}

#[test]
fn a_long_ref_chain_is_walked_on_the_heap() {
    let (kinds, path_len) = on_small_stack(|| {
        let old =
            parse_with_references("old", &chain(10_000, r#"{"type": "string"}"#), &[]).unwrap();
        let new =
            parse_with_references("new", &chain(10_000, r#"{"type": "integer"}"#), &[]).unwrap();
        let found = check_direction(&new, &old, Direction::Backward, JsonPolicy::Strict);
        let kinds: Vec<_> = found.iter().map(|f| f.kind).collect();
        (kinds, found[0].path.len())
    });
    assert_eq!(kinds, ["TYPE_CHANGED"]);
    // 10,000 steps deep, reported with its first and last steps.
    assert!(path_len < 1_500, "{path_len}");
}

#[test]
fn a_chain_of_refs_to_refs_resolves_once() {
    let n = 20_000;
    let mut defs: Vec<String> = (0..n)
        .map(|i| format!(r##""r{i}": {{"$ref": "#/definitions/r{}"}}"##, i + 1))
        .collect();
    defs.push(format!(r#""r{n}": {{"type": "string"}}"#));
    let text = format!(
        r##"{{"$ref": "#/definitions/r0", "definitions": {{{}}}}}"##,
        defs.join(",")
    );
    let found = on_small_stack(move || {
        let s = parse_with_references("s", &text, &[]).unwrap();
        check_direction(&s, &s, Direction::Backward, JsonPolicy::Strict).len()
    });
    assert_eq!(found, 0);
}

#[test]
fn a_ref_cycle_of_only_refs_is_an_error() {
    let text = r##"{"$ref": "#/definitions/a", "definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}}"##;
    let err = parse_with_references("s.json", text, &[])
        .unwrap_err()
        .to_string();
    assert!(err.contains("cycle"), "{err}");
}

#[test]
fn huge_enums_compare_by_hash() {
    let values = |n: usize| {
        let v: Vec<String> = (0..n).map(|i| format!("\"v{i}\"")).collect();
        format!(r#"{{"enum": [{}]}}"#, v.join(","))
    };
    let kinds = on_small_stack(move || {
        let old = parse_with_references("old", &values(100_000), &[]).unwrap();
        let new = parse_with_references("new", &values(99_999), &[]).unwrap();
        check_direction(&new, &old, Direction::Backward, JsonPolicy::Strict)
            .iter()
            .map(|f| f.kind)
            .collect::<Vec<_>>()
    });
    assert_eq!(kinds, ["ENUM_ARRAY_NARROWED"]);
}

#[test]
fn wide_combined_types_stay_bounded() {
    // 2,000 distinct alternatives on each side, none identical: past the matching budget they
    // count as unmatched rather than costing 4,000,000 comparisons.
    let one_of = |tag: &str| {
        let v: Vec<String> = (0..2_000)
            .map(|i| format!(r#"{{"const": "{tag}{i}"}}"#))
            .collect();
        format!(r#"{{"oneOf": [{}]}}"#, v.join(","))
    };
    let (kinds, same) = on_small_stack(move || {
        let old = parse_with_references("old", &one_of("a"), &[]).unwrap();
        let new = parse_with_references("new", &one_of("b"), &[]).unwrap();
        let kinds: Vec<_> = check_direction(&new, &old, Direction::Backward, JsonPolicy::Strict)
            .iter()
            .map(|f| f.kind)
            .collect();
        let same = check_direction(&old, &old, Direction::Backward, JsonPolicy::Strict).len();
        (kinds, same)
    });
    assert_eq!(kinds, ["COMBINED_TYPE_SUBSCHEMAS_CHANGED"]);
    assert_eq!(same, 0);
}

#[test]
fn recursive_combined_types_end() {
    // A recursive oneOf: the compatibility questions it asks about itself are memoized.
    let text = |t: &str| {
        format!(
            r##"{{"$ref": "#/definitions/n", "definitions": {{"n": {{"oneOf": [{{"type": "{t}"}}, {{"type": "array", "items": {{"$ref": "#/definitions/n"}}}}]}}}}}}"##
        )
    };
    let found = on_small_stack(move || {
        let old = parse_with_references("old", &text("integer"), &[]).unwrap();
        let new = parse_with_references("new", &text("number"), &[]).unwrap();
        check_direction(&new, &old, Direction::Backward, JsonPolicy::Strict)
            .iter()
            .all(|f| !f.breaking)
    });
    assert!(found);
}
