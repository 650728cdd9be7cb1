//! Confluent frame decoding: header, then the Protobuf message-index path.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schemactl::wire;

fuzz_target!(|data: &[u8]| {
    let Ok(frame) = wire::decode(data) else {
        return;
    };
    if let Ok((indexes, rest)) = wire::read_message_indexes(frame.payload) {
        assert!(indexes.iter().all(|&i| i >= 0));
        assert!(rest.len() < frame.payload.len());
    }
});
