//! Generated-code decoding (the types of tests/codegen-crate): bytes decode or fail, fresh and
//! in place alike (for what decodes), Avro datums and frames and Protobuf frames.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schemactl::runtime::avro::{
    from_datum, from_datum_into, from_frame, to_datum, AvroDecode, AvroEncode,
};
use schemactl_codegen_test::avro::com::acme::orders::Order;
use schemactl_codegen_test::avro::com::acme::tree::Node;
use schemactl_codegen_test::avro::com::acme::User;
use schemactl_codegen_test::proto::acme::orders::v1 as proto;

/// Decodes fresh; what decodes fresh must decode in place (over a value of the same type) to
/// the same value.
fn both<T: AvroDecode + AvroEncode + Clone + PartialEq + std::fmt::Debug>(bytes: &[u8]) {
    if let Ok(fresh) = from_datum::<T>(bytes) {
        let mut reused = fresh.clone();
        from_datum_into(bytes, &mut reused).expect("decodes in place what decodes fresh");
        #[allow(clippy::eq_op)]
        let has_nan = fresh != fresh;
        if has_nan {
            // A NaN field makes `==` false on equal values; the bytes they encode to are compared
            // instead (their length: a map's entry order follows its hasher, not the datum).
            assert_eq!(to_datum(&fresh).len(), to_datum(&reused).len(), "{fresh:?} vs {reused:?}");
        } else {
            assert_eq!(fresh, reused);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    match selector % 5 {
        0 => both::<Order>(bytes),
        1 => both::<Node>(bytes),
        2 => both::<User>(bytes),
        3 => {
            let _ = from_frame::<Order>(bytes, 1);
        }
        _ => {
            let _ = schemactl::runtime::protobuf::from_frame::<proto::Order>(bytes, 1);
        }
    }
});
