//! The decode group of `benches/codegen.rs` (the same cases, `benches/support/decode.rs`) with
//! mimalloc as the global allocator, as a consumer binary that keeps decoded values would opt
//! in: a fresh value's cost is mostly its allocations (README, "The runtime"). The library never
//! chooses an allocator; mimalloc is a dev-dependency for this bench (and README's snippet test).
//!
//! Run beside the system allocator in one command (cargo runs `codegen` first):
//! `cargo bench --features codegen,prost --bench codegen --bench codegen_mimalloc -- avro_decode`
//! The closing lines put this run's figures next to `codegen`'s `avro_decode` group when that
//! ran just before (its estimates are at most 30 minutes older than this process).

use std::time::Duration;

use criterion::Criterion;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/decode.rs"]
mod decode;
use decode::{criterion_dir, mean_ns, mean_ns_since, print_decode_ratios, STARTED};

const GROUP: &str = "avro_decode_mimalloc";

fn main() {
    let started = *STARTED.get_or_init(std::time::SystemTime::now);
    let mut c = Criterion::default().configure_from_args();
    decode::decode_group(&mut c, GROUP);
    c.final_summary();

    let dir = criterion_dir();
    println!("\nratios (this run, mimalloc):");
    print_decode_ratios(&dir, GROUP);
    let window = started - Duration::from_secs(30 * 60);
    let system = |id| mean_ns_since(&dir, "avro_decode", id, window);
    let ours = |id| mean_ns(&dir, GROUP, id);
    let reader = "apache_avro_serde_reader";
    for id in ["generated", "generated_into", "clone_allocation_floor"] {
        if let (Some(s), Some(m), Some(sb), Some(mb)) =
            (system(id), ours(id), system(reader), ours(reader))
        {
            println!(
                "{id}: system {s:.0} ns (×{:.2} vs serde reader {sb:.0} ns), \
                 mimalloc {m:.0} ns (×{:.2} vs serde reader {mb:.0} ns); mimalloc ×{:.2}",
                sb / s,
                mb / m,
                s / m
            );
        }
    }
}
