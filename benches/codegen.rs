//! Generated Avro code vs `apache-avro` (`to_avro_datum` over a `Value`, and its direct serde
//! writer/reader) vs `serde_avro_fast`, on a realistic 15-field record; Protobuf framing
//! overhead over plain `prost`; and the build-time cost of generating 100 schemas.
//!
//! After the criterion groups, prints each benchmark's ratio to its baseline from this run.
//! Run: `cargo bench --bench codegen --features codegen,prost`; the decode group runs under
//! mimalloc too in `benches/codegen_mimalloc.rs` (the cases are `benches/support/decode.rs`).

#![allow(deprecated)] // `to_avro_datum`/`from_avro_datum` are the named baselines.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion};
use schemactl::codegen::{self, avro::AvroInput, Options};
use schemactl::runtime::avro::{to_datum, AvroEncode};

#[path = "support/decode.rs"]
mod decode;
use decode::{criterion_dir, event, mean_ns, SCHEMA, STARTED};

fn avro(c: &mut Criterion) {
    let value = event();
    let apache_schema = apache_avro::Schema::parse_str(SCHEMA).unwrap();
    let fast_schema: serde_avro_fast::Schema = SCHEMA.parse().unwrap();
    let bytes = to_datum(&value);
    let writer = apache_avro::writer::datum::GenericDatumWriter::builder(&apache_schema)
        .build()
        .unwrap();

    // Every path must produce the same bytes and the same value, or the comparison is
    // meaningless: checked before anything is timed.
    let apache_value = apache_avro::to_value(&value).unwrap();
    assert_eq!(
        apache_avro::to_avro_datum(&apache_schema, apache_value).unwrap(),
        bytes
    );
    assert_eq!(writer.write_ser_to_vec(&value).unwrap(), bytes);
    assert_eq!(
        serde_avro_fast::to_datum_vec(
            &value,
            &mut serde_avro_fast::ser::SerializerConfig::new(&fast_schema)
        )
        .unwrap(),
        bytes
    );

    let mut g = c.benchmark_group("avro_encode");
    let mut buf = Vec::with_capacity(256);
    g.bench_function("generated", |b| {
        b.iter(|| {
            buf.clear();
            black_box(&value).avro_encode(&mut buf);
            black_box(buf.len())
        })
    });
    g.bench_function("apache_avro_to_avro_datum", |b| {
        b.iter(|| {
            let v = apache_avro::to_value(black_box(&value)).unwrap();
            apache_avro::to_avro_datum(&apache_schema, v).unwrap()
        })
    });
    g.bench_function("apache_avro_serde_writer", |b| {
        b.iter(|| writer.write_ser_to_vec(black_box(&value)).unwrap())
    });
    let mut config = serde_avro_fast::ser::SerializerConfig::new(&fast_schema);
    let mut fast_buf = Vec::with_capacity(256);
    g.bench_function("serde_avro_fast", |b| {
        b.iter(|| {
            fast_buf.clear();
            fast_buf = serde_avro_fast::to_datum(
                black_box(&value),
                std::mem::take(&mut fast_buf),
                &mut config,
            )
            .unwrap();
            black_box(fast_buf.len())
        })
    });
    g.finish();

    decode::decode_group(c, "avro_decode");
}

/// A typical message, with a hand-written `ProtobufType` impl (what codegen emits).
#[derive(Clone, PartialEq, prost::Message)]
struct Order {
    #[prost(string, tag = "1")]
    id: String,
    #[prost(string, tag = "2")]
    customer: String,
    #[prost(int64, tag = "3")]
    amount: i64,
    #[prost(string, repeated, tag = "4")]
    tags: Vec<String>,
    #[prost(int64, tag = "5")]
    ts: i64,
}

impl schemactl::runtime::protobuf::ProtobufType for Order {
    const FULL_NAME: &'static str = "bench.Order";
    const MESSAGE_INDEXES: &'static [i32] = &[0];
    const SCHEMA: &'static str = "";
    const SUBJECT: &'static str = "bench.Order";
    const SCHEMA_ID: Option<u32> = None;
}

fn protobuf(c: &mut Criterion) {
    use prost::Message;
    let order = Order {
        id: "ord-000123".into(),
        customer: "user-4f1c2a".into(),
        amount: 129_900,
        tags: vec!["promo".into(), "mobile".into()],
        ts: 1_700_000_000_123,
    };
    // The frame is the header, the one-byte index path [0], then prost's bytes.
    let mut expected = vec![0, 0, 0, 0, 42, 0];
    expected.extend(order.encode_to_vec());
    assert_eq!(schemactl::runtime::protobuf::to_frame(&order, 42), expected);
    let mut g = c.benchmark_group("protobuf_encode");
    g.bench_function("prost", |b| b.iter(|| black_box(&order).encode_to_vec()));
    g.bench_function("framed", |b| {
        b.iter(|| schemactl::runtime::protobuf::to_frame(black_box(&order), 42))
    });
    g.finish();
}

/// 100 distinct schemas of 12 fields each (nested record, enum, optional, array, map).
fn hundred_schemas() -> Vec<AvroInput> {
    (0..100)
        .map(|i| AvroInput {
            source: format!("s{i}.avsc"),
            text: format!(
                r#"{{"type":"record","name":"Rec{i}","namespace":"bench.n{i}","fields":[
                {{"name":"id","type":"long"}},{{"name":"name","type":"string"}},
                {{"name":"opt","type":["null","string"],"default":null}},
                {{"name":"tags","type":{{"type":"array","items":"string"}}}},
                {{"name":"attrs","type":{{"type":"map","values":"long"}}}},
                {{"name":"kind","type":{{"type":"enum","name":"Kind{i}","symbols":["A","B","C"]}}}},
                {{"name":"inner","type":{{"type":"record","name":"Inner{i}","fields":[{{"name":"x","type":"int"}},{{"name":"y","type":"double"}}]}}}},
                {{"name":"ts","type":{{"type":"long","logicalType":"timestamp-millis"}}}},
                {{"name":"flag","type":"boolean","default":false}},
                {{"name":"u","type":["null","int","string"],"default":null}},
                {{"name":"blob","type":"bytes"}},
                {{"name":"score","type":"float"}}]}}"#
            ),
        })
        .collect()
}

fn build_time(c: &mut Criterion) {
    let inputs = hundred_schemas();
    let mut g = c.benchmark_group("codegen");
    g.sample_size(10);
    g.bench_with_input(
        BenchmarkId::new("generate", "100 schemas"),
        &inputs,
        |b, inputs| b.iter(|| codegen::avro::generate(inputs, &Options::default()).unwrap()),
    );
    g.finish();
}

fn print_ratios() {
    let dir = criterion_dir();
    let line = |group: &str, id: &str, baseline: &str| {
        if let (Some(t), Some(b)) = (mean_ns(&dir, group, id), mean_ns(&dir, group, baseline)) {
            println!(
                "{group}/{id}: {t:.0} ns; {baseline} {b:.0} ns; speed-up ×{:.2}",
                b / t
            );
        }
    };
    println!("\nratios (this run):");
    for o in [
        "apache_avro_to_avro_datum",
        "apache_avro_serde_writer",
        "serde_avro_fast",
    ] {
        line("avro_encode", "generated", o);
    }
    decode::print_decode_ratios(&dir, "avro_decode");
    if let (Some(f), Some(p)) = (
        mean_ns(&dir, "protobuf_encode", "framed"),
        mean_ns(&dir, "protobuf_encode", "prost"),
    ) {
        println!(
            "protobuf_encode/framed: {f:.0} ns vs prost {p:.0} ns: overhead {:+.1}%",
            (f / p - 1.0) * 100.0
        );
    }
    if let Some(t) = mean_ns(&dir, "codegen", "generate/100 schemas") {
        println!("codegen/generate 100 schemas: {:.1} ms", t / 1e6);
    }
}

fn main() {
    STARTED.get_or_init(std::time::SystemTime::now);
    let mut c = Criterion::default().configure_from_args();
    avro(&mut c);
    protobuf(&mut c);
    build_time(&mut c);
    c.final_summary();
    print_ratios();
}
