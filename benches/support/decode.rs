//! The Avro decode cases of `benches/codegen.rs`, shared with `benches/codegen_mimalloc.rs` so
//! that both binaries time the same decoders on the same record, each under its own global
//! allocator, and the reading of criterion's estimates that their ratio lines use.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

use criterion::Criterion;
use schemactl::runtime::avro::{from_datum, from_datum_into, to_datum};
use schemactl::runtime::logical::TimestampMillis;

/// Generated from `tests/fixtures/codegen/bench_event.avsc` (kept in sync by a test).
#[allow(clippy::all, dead_code)]
pub mod generated {
    include!("../../tests/fixtures/codegen/bench_event.rs");
}
use generated::bench::{Event, Item, Kind};

pub const SCHEMA: &str = include_str!("../../tests/fixtures/codegen/bench_event.avsc");

/// The decoders every binary compares, in the order of their ratio lines.
pub const BASELINES: [&str; 3] = [
    "apache_avro_from_avro_datum",
    "apache_avro_serde_reader",
    "serde_avro_fast",
];

pub fn event() -> Event {
    Event {
        id: 1_234_567_890,
        user_id: "user-4f1c2a".into(),
        session: "0b6a8c1e-9d7f-4e2a-8c3b-5f6e7d8c9b0a".into(),
        ts: TimestampMillis(1_700_000_000_123),
        amount: 129_900,
        currency: "EUR".into(),
        country: "DE".into(),
        device: "android-14-pixel-8".into(),
        referrer: Some("https://example.com/campaign/spring".into()),
        tags: vec!["promo".into(), "mobile".into(), "returning".into()],
        item: Item {
            sku: "SKU-000123".into(),
            qty: 3,
            price: 43_300,
        },
        kind: Kind::Purchase,
        score: 0.875,
        version: 7,
        retries: 0,
    }
}

/// The decode group, named `group`: a fresh value, into a reused value, the clone floor and the
/// baselines. Checks first that every decoder returns the same value.
pub fn decode_group(c: &mut Criterion, group: &str) {
    let value = event();
    let bytes = to_datum(&value);
    let apache_schema = apache_avro::Schema::parse_str(SCHEMA).unwrap();
    let fast_schema: serde_avro_fast::Schema = SCHEMA.parse().unwrap();
    let reader = apache_avro::reader::datum::GenericDatumReader::builder(&apache_schema)
        .build()
        .unwrap();

    assert_eq!(from_datum::<Event>(&bytes).unwrap(), value);
    #[allow(deprecated)] // `from_avro_datum` is the named baseline.
    let decoded = apache_avro::from_avro_datum(&apache_schema, &mut &bytes[..], None).unwrap();
    assert_eq!(apache_avro::from_value::<Event>(&decoded).unwrap(), value);
    assert_eq!(reader.read_deser::<Event>(&mut &bytes[..]).unwrap(), value);
    assert_eq!(
        serde_avro_fast::from_datum_slice::<Event>(&bytes, &fast_schema).unwrap(),
        value
    );

    let mut g = c.benchmark_group(group);
    g.bench_function("generated", |b| {
        b.iter(|| from_datum::<Event>(black_box(&bytes)).unwrap())
    });
    // A consumer decoding a stream into one value: buffers are reused, nothing is allocated.
    let mut reused = value.clone();
    g.bench_function("generated_into", |b| {
        b.iter(|| {
            from_datum_into(black_box(&bytes), &mut reused).unwrap();
            black_box(reused.tags.len())
        })
    });
    // Any decoder that returns a fresh owned value allocates what a clone allocates: the floor.
    g.bench_function("clone_allocation_floor", |b| {
        b.iter(|| black_box(&value).clone())
    });
    g.bench_function("apache_avro_from_avro_datum", |b| {
        b.iter(|| {
            #[allow(deprecated)]
            let v = apache_avro::from_avro_datum(&apache_schema, &mut black_box(&bytes[..]), None)
                .unwrap();
            apache_avro::from_value::<Event>(&v).unwrap()
        })
    });
    g.bench_function("apache_avro_serde_reader", |b| {
        b.iter(|| {
            reader
                .read_deser::<Event>(&mut black_box(&bytes[..]))
                .unwrap()
        })
    });
    g.bench_function("serde_avro_fast", |b| {
        b.iter(|| {
            serde_avro_fast::from_datum_slice::<Event>(black_box(&bytes), &fast_schema).unwrap()
        })
    });
    g.finish();
    assert_eq!(reused, value);
}

/// When this process started: estimates older than that are from an earlier run (a filtered
/// run leaves the other groups' files as they were) and are not reported as this run's.
pub static STARTED: OnceLock<SystemTime> = OnceLock::new();

/// Mean time of one benchmark from criterion's estimates written since `since`, in nanoseconds.
pub fn mean_ns_since(dir: &Path, group: &str, id: &str, since: SystemTime) -> Option<f64> {
    let path = dir.join(group).join(id).join("new/estimates.json");
    let written = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    if written < since {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

/// Mean time of one benchmark measured by this process, in nanoseconds.
pub fn mean_ns(dir: &Path, group: &str, id: &str) -> Option<f64> {
    mean_ns_since(dir, group, id, *STARTED.get()?)
}

pub fn criterion_dir() -> PathBuf {
    // target/<profile>/deps/<bench> → target/criterion
    let exe = std::env::current_exe().unwrap_or_default();
    exe.ancestors()
        .nth(3)
        .map(|t| t.join("criterion"))
        .unwrap_or_default()
}

/// The ratio lines of a decode group measured by this process.
pub fn print_decode_ratios(dir: &Path, group: &str) {
    for id in ["generated", "generated_into"] {
        for baseline in BASELINES {
            if let (Some(t), Some(b)) = (mean_ns(dir, group, id), mean_ns(dir, group, baseline)) {
                println!(
                    "{group}/{id}: {t:.0} ns; {baseline} {b:.0} ns; speed-up ×{:.2}",
                    b / t
                );
            }
        }
    }
    if let (Some(t), Some(f)) = (
        mean_ns(dir, group, "generated"),
        mean_ns(dir, group, "clone_allocation_floor"),
    ) {
        println!(
            "{group}/generated: {t:.0} ns = allocation floor (clone) {f:.0} ns + {:.0} ns",
            t - f
        );
    }
}
