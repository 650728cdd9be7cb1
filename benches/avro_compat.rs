//! Avro compatibility throughput, against `apache_avro`'s own checker on the same inputs in the
//! same run.
//!
//! Run: `cargo bench --bench avro_compat`. Each group prints the ratio of our median time to the
//! baseline's (below 1.0 means faster).

use std::hint::black_box;
use std::time::Duration;

use apache_avro::schema_compatibility::SchemaCompatibility;
use criterion::{criterion_group, criterion_main, Criterion};
use schemactl::compat::{self, Level, Options};
use schemactl::schema::Schema;

#[path = "../tests/hostile/mod.rs"]
mod hostile;
#[path = "support/timing.rs"]
mod timing;
#[path = "support/wide.rs"]
mod wide;

use timing::median_time;
use wide::wide_record;

/// Small record pairs with varied evolutions: (new, old).
fn small_pairs(count: usize) -> Vec<(String, String)> {
    let types = [
        r#""int""#,
        r#""long""#,
        r#""string""#,
        r#"["null","int"]"#,
        r#""double""#,
    ];
    (0..count)
        .map(|i| {
            let record = |shift: usize, extra: bool| {
                let mut fields: Vec<String> = (0..5)
                    .map(|f| {
                        format!(
                            r#"{{"name":"f{f}","type":{}}}"#,
                            types[(i + f + shift) % types.len()]
                        )
                    })
                    .collect();
                if extra {
                    fields.push(r#"{"name":"added","type":"string","default":""}"#.to_string());
                }
                format!(
                    r#"{{"type":"record","name":"Small","fields":[{}]}}"#,
                    fields.join(",")
                )
            };
            (record(i % 2, i % 3 == 0), record(0, false))
        })
        .collect()
}

/// Prints the full report's and the verdict's times against the baseline's, measured now.
fn report_ratios(name: &str, full: impl FnMut(), verdict: impl FnMut(), baseline: impl FnMut()) {
    let base = median_time(Duration::from_secs(2), baseline);
    for (what, ours) in [
        ("full report", median_time(Duration::from_secs(2), full)),
        ("verdict only", median_time(Duration::from_secs(2), verdict)),
    ] {
        println!(
            "{name} ({what}): schemactl {:.3} ms, apache_avro {:.3} ms, ratio {:.3}",
            ours.as_secs_f64() * 1e3,
            base.as_secs_f64() * 1e3,
            ours.as_secs_f64() / base.as_secs_f64()
        );
    }
}

fn wide_transitive(c: &mut Criterion) {
    let versions: Vec<String> = (0..100).map(|v| wide_record(900 + v, 900)).collect();
    let new_text = wide_record(1000, 900);
    let new = Schema::parse_avro("new", &new_text).unwrap();
    let olds: Vec<Schema> = versions
        .iter()
        .enumerate()
        .map(|(i, t)| Schema::parse_avro(&format!("v{i}"), t).unwrap())
        .collect();
    let numbered: Vec<(u32, &Schema)> = olds
        .iter()
        .enumerate()
        .map(|(i, s)| (i as u32 + 1, s))
        .collect();
    let ap_new = apache_avro::Schema::parse_str(&new_text).unwrap();
    let ap_olds: Vec<apache_avro::Schema> = versions
        .iter()
        .map(|t| apache_avro::Schema::parse_str(t).unwrap())
        .collect();

    let ours = || {
        let report = compat::check(
            &new,
            &numbered,
            Level::BackwardTransitive,
            &Options::default(),
        )
        .unwrap();
        assert!(report.compatible);
        black_box(report);
    };
    let baseline = || {
        for old in &ap_olds {
            black_box(SchemaCompatibility::can_read(old, &ap_new).unwrap());
        }
    };
    let ours_verdict = || {
        assert!(compat::is_compatible(
            &new,
            &numbered,
            Level::BackwardTransitive,
            &Options::default()
        )
        .unwrap());
    };
    let mut group = c.benchmark_group("wide_1000_fields_x_100_versions");
    group.sample_size(20);
    group.bench_function("schemactl", |b| b.iter(ours));
    group.bench_function("schemactl_verdict", |b| b.iter(ours_verdict));
    group.bench_function("apache_avro", |b| b.iter(baseline));
    group.bench_function("schemactl_parse_and_check", |b| {
        b.iter(|| {
            let new = Schema::parse_avro("new", &new_text).unwrap();
            let olds: Vec<Schema> = versions
                .iter()
                .map(|t| Schema::parse_avro("v", t).unwrap())
                .collect();
            let numbered: Vec<(u32, &Schema)> = olds
                .iter()
                .enumerate()
                .map(|(i, s)| (i as u32 + 1, s))
                .collect();
            black_box(
                compat::check(
                    &new,
                    &numbered,
                    Level::BackwardTransitive,
                    &Options::default(),
                )
                .unwrap(),
            );
        })
    });
    group.finish();
    report_ratios(
        "wide_1000_fields_x_100_versions",
        ours,
        ours_verdict,
        baseline,
    );
}

fn small_batch(c: &mut Criterion) {
    let pairs = small_pairs(10_000);
    let ours_pairs: Vec<(Schema, Schema)> = pairs
        .iter()
        .map(|(n, o)| {
            (
                Schema::parse_avro("new", n).unwrap(),
                Schema::parse_avro("old", o).unwrap(),
            )
        })
        .collect();
    let ap_pairs: Vec<(apache_avro::Schema, apache_avro::Schema)> = pairs
        .iter()
        .map(|(n, o)| {
            (
                apache_avro::Schema::parse_str(n).unwrap(),
                apache_avro::Schema::parse_str(o).unwrap(),
            )
        })
        .collect();
    let ours = || {
        let mut compatible = 0usize;
        for (new, old) in &ours_pairs {
            let report =
                compat::check(new, &[(1, old)], Level::Backward, &Options::default()).unwrap();
            compatible += report.compatible as usize;
        }
        black_box(compatible);
    };
    let baseline = || {
        let mut compatible = 0usize;
        for (new, old) in &ap_pairs {
            compatible += SchemaCompatibility::can_read(old, new).is_ok() as usize;
        }
        black_box(compatible);
    };
    let ours_verdict = || {
        let mut compatible = 0usize;
        for (new, old) in &ours_pairs {
            compatible +=
                compat::is_compatible(new, &[(1, old)], Level::Backward, &Options::default())
                    .unwrap() as usize;
        }
        black_box(compatible);
    };
    let mut group = c.benchmark_group("small_pairs_x_10000");
    group.sample_size(20);
    group.bench_function("schemactl", |b| b.iter(ours));
    group.bench_function("schemactl_verdict", |b| b.iter(ours_verdict));
    group.bench_function("apache_avro", |b| b.iter(baseline));
    group.finish();
    report_ratios("small_pairs_x_10000", ours, ours_verdict, baseline);
}

/// Issue 11's union reproduction: 1,000 records chained by name in one union, checked against
/// itself, against the same records as the fields of one record (the baseline, which was always
/// linear). A union lookup that tried every branch made the first quadratic.
fn union_chain(c: &mut Criterion) {
    let union = Schema::parse_avro("union", &hostile::avro_union_chain(1_000, "int")).unwrap();
    let fields = Schema::parse_avro("fields", &hostile::avro_field_chain(1_000, "int")).unwrap();
    fn run(s: &Schema) -> impl FnMut() + '_ {
        move || {
            let report = compat::check(s, &[(1, s)], Level::Full, &Options::default()).unwrap();
            assert!(report.compatible);
            black_box(report);
        }
    }
    let mut group = c.benchmark_group("union_of_1000_chained_records");
    group.sample_size(20);
    group.bench_function("union_against_itself", |b| b.iter(run(&union)));
    group.bench_function("fields_against_itself", |b| b.iter(run(&fields)));
    group.finish();
    let ours = median_time(Duration::from_secs(2), run(&union));
    let base = median_time(Duration::from_secs(2), run(&fields));
    println!(
        "union_of_1000_chained_records (FULL, full report): union {:.3} ms, same records as fields {:.3} ms, ratio {:.3}",
        ours.as_secs_f64() * 1e3,
        base.as_secs_f64() * 1e3,
        ours.as_secs_f64() / base.as_secs_f64()
    );
}

criterion_group!(benches, wide_transitive, small_batch, union_chain);
criterion_main!(benches);
