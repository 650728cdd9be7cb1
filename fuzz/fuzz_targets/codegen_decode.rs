//! Generated-code decoding (the types of tests/codegen-crate): bytes decode or fail, fresh and
//! in place alike, Avro datums and frames and Protobuf frames.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schemactl::runtime::avro::{from_datum, from_datum_into, from_frame, AvroDecode};
use schemactl_codegen_test::avro::com::acme::orders::Order;
use schemactl_codegen_test::avro::com::acme::tree::Node;
use schemactl_codegen_test::avro::com::acme::User;
use schemactl_codegen_test::proto::acme::orders::v1 as proto;

fn both<T: AvroDecode + Default + PartialEq + std::fmt::Debug>(bytes: &[u8]) {
    let fresh = from_datum::<T>(bytes);
    let mut reused = T::default();
    let in_place = from_datum_into(bytes, &mut reused);
    assert_eq!(fresh.is_ok(), in_place.is_ok());
    if let Ok(fresh) = fresh {
        assert_eq!(fresh, reused);
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
