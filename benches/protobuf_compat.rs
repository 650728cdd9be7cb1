//! Protobuf compatibility at scale: a 200-message, 5,000-field file checked FULL_TRANSITIVE
//! against 50 earlier versions. Parse time and check time are measured separately.
//!
//! Baselines measured in the same run: `protox` compiling the file alone (what parsing costs
//! before our model is built), and parsing all 51 versions (what the check is compared with).
//!
//! Run: `cargo bench --bench protobuf_compat`. Each group prints the ratio of our median time to
//! its baseline's.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};
use schemactl::compat::{self, Level, Options, RuleSet};
use schemactl::schema::Schema;

const MESSAGES: usize = 200;
const FIELDS_PER_MESSAGE: usize = 25;
const VERSIONS: usize = 50;

const TYPES: &[&str] = &[
    "string", "int32", "int64", "bool", "double", "bytes", "uint32", "sint64", "fixed32",
];

/// Version `v` of the file: version v adds one field to each of the first `v` messages (a
/// compatible evolution), so that every comparison walks all 5,000 fields and finds real
/// differences.
fn version(v: usize) -> String {
    let mut s = String::from(
        "syntax = \"proto3\";\npackage bench.v1;\nimport \"google/protobuf/timestamp.proto\";\n\nenum Status {\n  STATUS_UNSPECIFIED = 0;\n  ACTIVE = 1;\n}\n\n",
    );
    for m in 0..MESSAGES {
        s.push_str(&format!("message M{m} {{\n"));
        for f in 1..=FIELDS_PER_MESSAGE {
            let ty = match f % 12 {
                9 => format!("M{}", (m + 1) % MESSAGES),
                10 => "Status".to_string(),
                11 => "google.protobuf.Timestamp".to_string(),
                k => TYPES[k % TYPES.len()].to_string(),
            };
            let label = if f % 7 == 0 { "repeated " } else { "" };
            s.push_str(&format!("  {label}{ty} f{f} = {f};\n"));
        }
        if m < v {
            s.push_str(&format!("  string added_in_v{} = 100;\n", m + 1));
        }
        if m % 10 == 0 {
            s.push_str("  oneof choice {\n    string a = 200;\n    int64 b = 201;\n  }\n  map<string, int64> counts = 300;\n");
        }
        s.push_str("}\n\n");
    }
    s
}

struct Text(String);

impl FileResolver for Text {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        if name == "bench.proto" {
            File::from_source(name, &self.0)
        } else {
            Err(protox::Error::file_not_found(name))
        }
    }
}

/// protox alone: compile the file with its imports into descriptors.
fn protox_compile(text: &str) {
    let mut chain = ChainFileResolver::new();
    chain.add(Text(text.to_string()));
    chain.add(GoogleFileResolver::new());
    let mut c = protox::Compiler::with_file_resolver(chain);
    c.include_imports(true);
    c.open_file("bench.proto").expect("compiles");
    black_box(c.file_descriptor_set());
}

fn parse(text: &str) -> Schema {
    Schema::parse_protobuf("bench.proto", text, &[]).expect("parses")
}

fn median_time(budget: Duration, mut f: impl FnMut()) -> Duration {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < budget && times.len() < 200) {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn report_ratio(name: &str, ours: (&str, Duration), baseline: (&str, Duration)) {
    println!(
        "{name}: {} {:.3} ms, {} {:.3} ms, ratio {:.3}",
        ours.0,
        ours.1.as_secs_f64() * 1e3,
        baseline.0,
        baseline.1.as_secs_f64() * 1e3,
        ours.1.as_secs_f64() / baseline.1.as_secs_f64()
    );
}

fn parse_one_file(c: &mut Criterion) {
    let text = version(VERSIONS);
    let mut group = c.benchmark_group("protobuf_parse_5000_fields");
    group.sample_size(20);
    group.bench_function("protox_compile", |b| b.iter(|| protox_compile(&text)));
    group.bench_function("schemactl_parse", |b| b.iter(|| black_box(parse(&text))));
    group.finish();
    report_ratio(
        "parse (one 5,000-field file)",
        (
            "schemactl parse",
            median_time(Duration::from_secs(3), || {
                black_box(parse(&text));
            }),
        ),
        (
            "protox compile",
            median_time(Duration::from_secs(3), || protox_compile(&text)),
        ),
    );
}

fn check_fifty_versions(c: &mut Criterion) {
    let texts: Vec<String> = (0..=VERSIONS).map(version).collect();
    let parsed: Vec<Schema> = texts.iter().map(|t| parse(t)).collect();
    let (new, old) = parsed.split_last().expect("versions");
    let previous: Vec<(u32, &Schema)> = old
        .iter()
        .enumerate()
        .map(|(i, s)| (i as u32 + 1, s))
        .collect();
    let options = Options {
        rules: RuleSet::Confluent,
        verbose: false,
    };
    let check = || {
        let report =
            compat::check(new, &previous, Level::FullTransitive, &options).expect("same types");
        assert!(report.compatible);
        black_box(report);
    };
    let wire = Options {
        rules: RuleSet::WireJson,
        verbose: true,
    };
    let check_wire = || {
        black_box(compat::check(new, &previous, Level::FullTransitive, &wire).expect("same types"))
    };
    let parse_all = || {
        for t in &texts {
            black_box(parse(t));
        }
    };
    let whole = || {
        let parsed: Vec<Schema> = texts.iter().map(|t| parse(t)).collect();
        let (new, old) = parsed.split_last().expect("versions");
        let previous: Vec<(u32, &Schema)> = old
            .iter()
            .enumerate()
            .map(|(i, s)| (i as u32 + 1, s))
            .collect();
        black_box(
            compat::check(new, &previous, Level::FullTransitive, &options).expect("same types"),
        );
    };
    let mut group = c.benchmark_group("protobuf_full_transitive_50_versions");
    group.sample_size(10);
    group.bench_function("check_only", |b| b.iter(check));
    group.bench_function("check_only_wire_json_verbose", |b| b.iter(check_wire));
    group.bench_function("parse_51_versions", |b| b.iter(parse_all));
    group.bench_function("parse_and_check", |b| b.iter(whole));
    group.finish();
    let check_time = median_time(Duration::from_secs(5), check);
    let parse_time = median_time(Duration::from_secs(5), parse_all);
    report_ratio(
        "check vs parse (51 versions)",
        ("check", check_time),
        ("parse", parse_time),
    );
    report_ratio(
        "wire-json verbose check vs confluent check",
        (
            "wire-json",
            median_time(Duration::from_secs(5), || {
                check_wire();
            }),
        ),
        ("confluent", check_time),
    );
    println!(
        "whole (parse 51 versions + check): {:.3} ms",
        median_time(Duration::from_secs(5), whole).as_secs_f64() * 1e3
    );
}

criterion_group!(benches, parse_one_file, check_fifty_versions);
criterion_main!(benches);
