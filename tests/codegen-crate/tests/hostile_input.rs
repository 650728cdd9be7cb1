//! Whatever the bytes, generated decoders return a value or an error: never a panic, and never
//! an allocation the input does not pay for. Checked on every truncation of valid data, on
//! random corruptions of it, and on random bytes, for fresh and in-place decoding.

use proptest::prelude::*;
use schemactl::runtime::avro::{
    from_datum, from_datum_into, from_frame, to_datum, to_frame, AvroDecode, AvroEncode, AvroType,
};
use schemactl_codegen_test::avro::com::acme::orders::Order;
use schemactl_codegen_test::avro::com::acme::tree::Node;
use schemactl_codegen_test::avro::com::acme::UserPayment;

mod common;
use common::{order, tree, user};

/// Decodes `bytes` as `T`, fresh and into `into`; the two must agree. Whether it failed.
fn decode_both<T: AvroDecode + AvroEncode + Clone + PartialEq + std::fmt::Debug>(
    bytes: &[u8],
    into: &T,
) -> bool {
    let fresh = from_datum::<T>(bytes);
    let mut reused = into.clone();
    let in_place = from_datum_into(bytes, &mut reused);
    if let (Ok(fresh), Ok(())) = (&fresh, &in_place) {
        assert_same_value(fresh, &reused);
    }
    assert_eq!(fresh.is_ok(), in_place.is_ok());
    fresh.is_err()
}

/// `==`, except that a value holding a NaN (never `==` to itself) is compared by what it
/// encodes to: a corrupted `double` is often a NaN, and fresh and in-place decoding must still
/// agree on it bit for bit.
fn assert_same_value<T: AvroEncode + PartialEq + std::fmt::Debug>(fresh: &T, reused: &T) {
    #[allow(clippy::eq_op)]
    let holds_nan = fresh != fresh;
    if holds_nan {
        // Map entries encode in their hasher's order, so only the lengths are comparable.
        assert_eq!(
            to_datum(fresh).len(),
            to_datum(reused).len(),
            "{fresh:?} vs {reused:?}"
        );
    } else {
        assert_eq!(fresh, reused);
    }
}

fn valid_datums() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("user", to_datum(&user(UserPayment::Long(7)))),
        ("order", to_datum(&order())),
        ("tree", to_datum(&tree())),
    ]
}

/// Whether decoding failed.
fn decode_as(name: &str, bytes: &[u8]) -> bool {
    match name {
        "user" => decode_both(bytes, &user(UserPayment::Null)),
        "order" => decode_both(bytes, &order()),
        _ => decode_both(bytes, &tree()),
    }
}

#[test]
fn every_truncation_is_an_error() {
    for (name, bytes) in valid_datums() {
        for len in 0..bytes.len() {
            let failed = decode_as(name, &bytes[..len]);
            assert!(failed, "{name} decoded from {len} of {} bytes", bytes.len());
        }
    }
}

/// Found by the `codegen_decode` fuzz target (2026-11-30): a `User` whose `score` decodes to a
/// NaN made the fresh/in-place comparison fail although both decoders agree.
#[test]
fn a_nan_double_decodes_the_same_fresh_and_in_place() {
    let mut user = user(UserPayment::Long(7));
    user.score = f64::from_bits(0x7ff8_0000_dead_beef);
    let bytes = to_datum(&user);
    let fresh: schemactl_codegen_test::avro::com::acme::User = from_datum(&bytes).unwrap();
    assert_eq!(fresh.score.to_bits(), 0x7ff8_0000_dead_beef);
    let mut reused = user.clone();
    reused.score = 1.5;
    from_datum_into(&bytes, &mut reused).unwrap();
    assert_eq!(reused.score.to_bits(), 0x7ff8_0000_dead_beef);
    assert!(!decode_as("user", &bytes));
}

#[test]
fn truncated_and_foreign_frames_are_errors() {
    let frame = to_frame(&order(), 9);
    for len in 0..frame.len() {
        assert!(from_frame::<Order>(&frame[..len], 9).is_err(), "{len}");
    }
    let mut wrong_magic = frame.clone();
    wrong_magic[0] = 1;
    assert!(from_frame::<Order>(&wrong_magic, 9).is_err());
    assert!(from_frame::<Order>(&frame, 10).is_err());
    assert_eq!(Order::SCHEMA_ID, None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn corrupted_data_never_panics(
        which in 0usize..3,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let (name, mut bytes) = valid_datums().swap_remove(which);
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = decode_as(name, &bytes);
    }

    #[test]
    fn random_bytes_never_panic(which in 0usize..3, bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_as(["user", "order", "tree"][which], &bytes);
    }
}

/// `n` nodes, each the `next` of the one before: 3 bytes a level on the way in, 2 on the way out.
fn nested_nodes(n: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(5 * n);
    for _ in 1..n {
        bytes.extend_from_slice(&[0, 0, 2]); // value 0, no children, next: branch 1 (a Node)
    }
    bytes.extend_from_slice(&[0, 0, 0, 0, 0]); // the innermost: everything empty or null
    for _ in 1..n {
        bytes.extend_from_slice(&[0, 0]); // either: null, byName: empty
    }
    bytes
}

/// A recursive type nests as deep as the input says; a hostile megabyte must be an error, not a
/// stack overflow, and the limit must still leave room for deep legitimate data (this runs on
/// a test thread's 2 MiB stack, in a debug build).
#[test]
fn nesting_is_bounded_without_overflowing_the_stack() {
    use schemactl::runtime::avro::{DecodeError, DEFAULT_MAX_DEPTH};
    let limit = DEFAULT_MAX_DEPTH as usize;
    let deepest = from_datum::<Node>(&nested_nodes(limit)).unwrap();
    let mut depth = 1;
    let mut node = &deepest;
    while let Some(next) = &node.next {
        depth += 1;
        node = next;
    }
    assert_eq!(depth, limit);
    let mut into = tree();
    from_datum_into(&nested_nodes(limit), &mut into).unwrap();
    assert_eq!(into, deepest);
    // Dropping a deep `Box` chain recurses too; keep it to the depth just checked.
    drop((deepest, into));

    for n in [limit + 1, 400_000] {
        let hostile = nested_nodes(n);
        assert_eq!(
            from_datum::<Node>(&hostile),
            Err(DecodeError::TooDeep(DEFAULT_MAX_DEPTH))
        );
        assert!(from_datum_into(&hostile, &mut tree()).is_err());
    }
}
