//! Cold start: `schemactl compat` of a 1,000-field record against 100 versions, timed end to end
//! (process start, reading and parsing 101 files, the check, the report) beside the check alone
//! on schemas parsed beforehand, in the same run.
//!
//! Run: `cargo bench --bench cold_start`. The binary is the one cargo builds for the bench
//! profile (optimized, like `--release`). The closing line prints both medians and their ratio.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use schemactl::compat::{self, Level, Options};
use schemactl::schema::Schema;

#[path = "support/timing.rs"]
mod timing;
#[path = "support/wide.rs"]
mod wide;

use timing::median_time;
use wide::wide_record;

const VERSIONS: usize = 100;

/// Writes `new.avsc` and `v1.avsc` … `v100.avsc` (each version adds fields with defaults).
fn write_inputs(dir: &Path) -> Vec<String> {
    std::fs::write(dir.join("new.avsc"), wide_record(1000, 900)).unwrap();
    let mut args = vec!["compat".to_string(), "new.avsc".to_string()];
    for v in 0..VERSIONS {
        let name = format!("v{}.avsc", v + 1);
        std::fs::write(dir.join(&name), wide_record(900 + v, 900)).unwrap();
        args.push("--against".to_string());
        args.push(name);
    }
    args.extend(["--level", "BACKWARD_TRANSITIVE"].map(String::from));
    args
}

fn run_binary(dir: &Path, args: &[String]) {
    let out = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("schemactl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    black_box(out.stdout);
}

fn cold_start(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let args = write_inputs(dir.path());
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let new = Schema::parse_avro("new.avsc", &read("new.avsc")).unwrap();
    let olds: Vec<Schema> = (1..=VERSIONS)
        .map(|v| Schema::parse_avro("v", &read(&format!("v{v}.avsc"))).unwrap())
        .collect();
    let numbered: Vec<(u32, &Schema)> = olds
        .iter()
        .enumerate()
        .map(|(i, s)| (i as u32 + 1, s))
        .collect();
    let check_alone = || {
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
    let end_to_end = || run_binary(dir.path(), &args);

    let mut group = c.benchmark_group("cold_start_1000_fields_x_100_versions");
    group.sample_size(20);
    group.bench_function("end_to_end", |b| b.iter(end_to_end));
    group.bench_function("check_alone", |b| b.iter(check_alone));
    group.finish();

    let whole = median_time(Duration::from_secs(3), end_to_end);
    let check = median_time(Duration::from_secs(3), check_alone);
    println!(
        "cold_start_1000_fields_x_100_versions: end to end {:.1} ms, check alone {:.1} ms, ratio {:.1}",
        whole.as_secs_f64() * 1e3,
        check.as_secs_f64() * 1e3,
        whole.as_secs_f64() / check.as_secs_f64()
    );
}

criterion_group!(benches, cold_start);
criterion_main!(benches);
