//! The walk's work, counted: union lookups must cost a bounded number of pairs per branch,
//! which no timed test could assert.

#[path = "../../../tests/hostile/mod.rs"]
mod hostile;

use super::rules::Roles;
use super::Walk;
use crate::schema::avro::AvroSchema;
use crate::schema::{Parsed, Schema};

fn avro(text: &str) -> AvroSchema {
    match Schema::parse_avro("test.avsc", text)
        .expect("valid Avro")
        .parsed
    {
        Parsed::Avro(a) => a,
        _ => unreachable!("an Avro schema"),
    }
}

/// The verdict and the pairs entered to reach it, with findings (`collect`) or without.
fn walk(reader: &AvroSchema, writer: &AvroSchema, collect: bool) -> (bool, usize) {
    let roles = Roles {
        reader: "new",
        writer: "old",
    };
    let mut walk = Walk::new(reader, writer, roles, collect);
    let ok = walk.run(reader.root(), writer.root());
    (ok, walk.steps)
}

#[test]
fn a_union_of_chained_records_against_itself_costs_linear_work() {
    // Issue 11's reproduction: N records chained by name in one union. Trying every reader
    // branch for every writer branch entered about N²/2 pairs (45,000 at N = 300).
    for n in [300, 400, 1_000] {
        let s = avro(&hostile::avro_union_chain(n, "int"));
        for collect in [true, false] {
            let (ok, steps) = walk(&s, &s, collect);
            assert!(ok, "n = {n}");
            assert!(
                steps <= 4 * n,
                "n = {n}, collect = {collect}: {steps} pairs"
            );
        }
    }
}

#[test]
fn a_union_of_chained_records_with_a_changed_tail_costs_linear_work() {
    for n in [300, 1_000] {
        let old = avro(&hostile::avro_union_chain(n, "int"));
        let new = avro(&hostile::avro_union_chain(n, "string"));
        for collect in [true, false] {
            let (ok, steps) = walk(&new, &old, collect);
            assert!(!ok, "n = {n}");
            assert!(
                steps <= 4 * n,
                "n = {n}, collect = {collect}: {steps} pairs"
            );
        }
    }
}

#[test]
fn a_renamed_recursive_record_reads_through_its_pair_in_progress() {
    // FORWARD of fixture recursive-renamed-with-alias: the old `Node` reads the new `Cell`.
    // The names differ, so the union branch `Node` is found only as the pair in progress.
    let old = avro(
        r#"{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}"#,
    );
    let new = avro(
        r#"{"type":"record","name":"Cell","aliases":["Node"],"fields":[{"name":"next","type":["null","Cell"]}]}"#,
    );
    let findings = super::check_reader_writer(
        &old,
        &new,
        Roles {
            reader: "old",
            writer: "new",
        },
    );
    let kinds: Vec<&str> = findings.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, ["NAME_MISMATCH"]);
    assert!(super::check_reader_writer(
        &new,
        &old,
        Roles {
            reader: "new",
            writer: "old"
        }
    )
    .is_empty());
}
