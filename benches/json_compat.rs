//! JSON Schema compatibility throughput: a 1,000-property object schema against 100 earlier
//! versions under BACKWARD_TRANSITIVE (every version, the full report), against two baselines in
//! the same run: the time to parse the same 101 texts with `serde_json` into `Value`, and the
//! time Sentry's `json-schema-diff` crate takes per pair (on the newest pair, 999 against 1,000
//! properties: its diff grows with the square of the properties, about 0.3 s a pair here, so
//! all 100 pairs would take half a minute an iteration).
//!
//! Run: `cargo bench --bench json_compat -- --warm-up-time 1 --measurement-time 3`. The closing
//! lines print the ratio of the check's median time to each baseline's.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use schemactl::compat::json::{check_direction, JsonPolicy};
use schemactl::compat::Direction;
use schemactl::schema::json::{parse_with_references, JsonSchema};

#[path = "support/timing.rs"]
mod timing;

use timing::median_time;

/// A closed object schema with `count` properties of varied types, bounds and enums, the first
/// `required` of them required.
fn wide_object(count: usize, required: usize) -> String {
    let kinds = [
        r#"{"type": "string", "maxLength": 64}"#,
        r#"{"type": "integer", "minimum": 0}"#,
        r#"{"type": ["number", "null"]}"#,
        r#"{"type": "string", "enum": ["a", "b", "c"]}"#,
        r#"{"type": "array", "items": {"type": "string"}, "maxItems": 10}"#,
        r##"{"$ref": "#/definitions/money"}"##,
    ];
    let props: Vec<String> = (0..count)
        .map(|i| format!(r#""p{i}": {}"#, kinds[i % kinds.len()]))
        .collect();
    let req: Vec<String> = (0..required).map(|i| format!(r#""p{i}""#)).collect();
    format!(
        r#"{{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "additionalProperties": false,
  "properties": {{{}}}, "required": [{}],
  "definitions": {{"money": {{"type": "object", "properties": {{"amount": {{"type": "number"}}, "currency": {{"type": "string"}}}}, "additionalProperties": false}}}}}}"#,
        props.join(",\n    "),
        req.join(", ")
    )
}

fn wide_transitive(c: &mut Criterion) {
    let texts: Vec<String> = (0..100).map(|v| wide_object(900 + v, 900)).collect();
    let new_text = wide_object(1000, 900);
    let new = parse_with_references("new", &new_text, &[]).unwrap();
    let olds: Vec<JsonSchema> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| parse_with_references(&format!("v{i}"), t, &[]).unwrap())
        .collect();
    let check = || {
        let mut findings = 0;
        for old in &olds {
            let found = check_direction(&new, old, Direction::Backward, JsonPolicy::Strict);
            assert!(found.iter().all(|f| !f.breaking));
            findings += found.len();
        }
        black_box(findings)
    };
    let baseline = || {
        for t in texts.iter().chain([&new_text]) {
            black_box(serde_json::from_str::<serde_json::Value>(t).unwrap());
        }
    };
    // The crate takes its schemas by value: the copies are part of its time (well under a
    // percent of it), as parsing is part of neither side.
    let new_value = serde_json::from_str::<serde_json::Value>(&new_text).unwrap();
    let newest_old =
        serde_json::from_str::<serde_json::Value>(texts.last().expect("100 versions")).unwrap();
    let other_diff = || {
        let changes = json_schema_diff::diff(newest_old.clone(), new_value.clone()).unwrap();
        black_box(changes.len())
    };
    let mut group = c.benchmark_group("json_wide_1000_properties_100_versions");
    group.bench_function("backward_transitive_full_report", |b| b.iter(check));
    group.bench_function("baseline_serde_json_parse", |b| b.iter(baseline));
    group.finish();
    let mut group = c.benchmark_group("json_wide_1000_properties_one_pair");
    group.sample_size(10);
    group.bench_function("baseline_json_schema_diff_crate", |b| b.iter(other_diff));
    group.finish();
    let ours = median_time(Duration::from_secs(2), || {
        check();
    });
    let base = median_time(Duration::from_secs(2), baseline);
    let other = median_time(Duration::from_secs(3), || {
        other_diff();
    });
    let newest = olds.last().expect("100 versions");
    let ours_per_pair = median_time(Duration::from_secs(1), || {
        black_box(check_direction(
            &new,
            newest,
            Direction::Backward,
            JsonPolicy::Strict,
        ));
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "json wide (full report, 100 versions): schemactl {:.3} ms, serde_json parse {:.3} ms, ratio {:.3}",
        ms(ours),
        ms(base),
        ours.as_secs_f64() / base.as_secs_f64()
    );
    println!(
        "json wide (newest pair): schemactl {:.3} ms, json-schema-diff crate {:.3} ms, ratio {:.5}",
        ms(ours_per_pair),
        ms(other),
        ours_per_pair.as_secs_f64() / other.as_secs_f64()
    );
}

criterion_group!(benches, wide_transitive);
criterion_main!(benches);
